"""ask --compare's printer keeps the later variants and prints them in order, even when ctrl+c
comes while it is printing what one of them kept."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest

from thinkchat.chat.api_key import ApiKey
from thinkchat.chat.comparison import Comparison
from thinkchat.chat.events import AnswerDelta, Finished, ReasoningDelta, TurnEvent
from thinkchat.chat.hints import HintContext
from thinkchat.chat.request import Endpoint, Timeouts
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.variants import parse_variants
from thinkchat.cli.ask_compare import ComparisonPrinter


class InterruptedWhileWriting(io.StringIO):
    """A terminal where ctrl+c comes (once) just after `text` is written, as Python 3.10 may
    raise KeyboardInterrupt on any line."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text: str | None = text

    def write(self, text: str) -> int:
        written = super().write(text)
        if self._text is not None and self._text in text:
            self._text = None
            raise KeyboardInterrupt
        return written


# The second variant streams while the first does, so what it prints is kept, then printed
# when the first has ended: ctrl+c comes in the middle of that.
EVENTS: list[tuple[int, TurnEvent]] = [
    (1, ReasoningDelta("hmm")),
    (1, AnswerDelta("second part,")),
    (1, AnswerDelta(" and the rest")),
    (0, AnswerDelta("A quick one.")),
    (0, Finished("stop")),
]


async def test_ctrl_c_while_a_kept_variant_is_printed_loses_nothing_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = Endpoint("http://127.0.0.1:9", ApiKey("sk-unused"), "singapore", Timeouts(1, 1))
    session = ChatSession(ChatSettings(model="qwen-plus"), lambda region: endpoint)
    comparison = Comparison.begin(session, "hi", parse_variants("no-think,think"))

    async def recorded() -> AsyncIterator[tuple[int, TurnEvent]]:
        for item in EVENTS:
            yield item

    monkeypatch.setattr(comparison, "stream", recorded)  # the engine's, not an SDK's
    out, err = InterruptedWhileWriting("second part,"), io.StringIO()
    printer = ComparisonPrinter(
        comparison,
        out,
        err,
        json_lines=False,
        hide_reasoning=False,
        hints=lambda turn: HintContext("qwen-plus", "singapore", endpoint.host_root),
    )
    with pytest.raises(KeyboardInterrupt):
        await printer.run()
    printer.interrupted()

    printed = out.getvalue()
    assert (
        printed.index("A quick one.")
        < printed.index("variant 2 of 2")
        < printed.index("second part, and the rest")
    )
    assert printed.count("second part,") == 1
    assert err.getvalue().index("hmm") < err.getvalue().index("thinkchat: interrupted")
    assert err.getvalue().endswith("thinkchat: interrupted; the output above is what had arrived\n")
