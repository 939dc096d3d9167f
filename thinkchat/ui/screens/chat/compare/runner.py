"""A comparison's life on screen: its variants streamed into their columns, and recorded.

Every variant streams at once (`Comparison.stream`), each into its own column through its own
`TurnStreamer`; one `FramePacer` draws them all in the same frames, so that two streams cost
the screen about what one does. A variant's last event (its finish, or its error) ends its
column at once; the others go on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from contextlib import aclosing
from typing import Any

from textual.app import App

from thinkchat.chat.comparison import Comparison
from thinkchat.chat.comparison_summary import LiveTokens
from thinkchat.chat.events import Finished, StreamError
from thinkchat.process.gc_pause import GcPause
from thinkchat.ui.keys import KeyMap
from thinkchat.ui.live_cost import live_cost
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.screens.chat.compare.column import VariantColumn
from thinkchat.ui.screens.chat.frame_pacer import FramePacer
from thinkchat.ui.screens.chat.streaming import TurnStreamer
from thinkchat.ui.screens.chat.turns import YIELD_SECONDS, collect_when_idle, turn_hint
from thinkchat.ui.token_estimate import token_scale
from thinkchat.ui.widgets.chat_panes import caption


class ComparisonRunner:
    """Streams a comparison into its columns, and keeps the history in step."""

    def __init__(
        self,
        app: App[Any],
        comparison: Comparison,
        *,
        recorder: HistoryRecorder,
        keys: KeyMap,
        host_root: Callable[[str], str],
        gc_pause: GcPause,
        last_input: Callable[[], float],
    ) -> None:
        """`host_root(region)` is where a region's requests go (for hints); `last_input()`
        is when the latest key, click or paste came in."""
        self.comparison = comparison
        self._app = app
        self._recorder = recorder
        self._keys = keys
        self._host_root = host_root
        self._gc_pause = gc_pause
        self._last_input = last_input
        self._streamers: list[TurnStreamer | None] = []  # by variant; None once it ended
        self._pacer = FramePacer.for_app(app, last_input)

    @property
    def streaming(self) -> bool:
        return any(self._streamers)

    def live_tokens(self) -> list[LiveTokens | None]:
        """The estimated tokens (and cost) of each variant still streaming (None: ended)."""
        return [
            None
            if streamer is None
            else LiveTokens(
                streamer.reasoning_tokens.tokens,
                streamer.answer_tokens.tokens,
                streamer.entry.live_cost,
            )
            for streamer in self._streamers
        ]

    async def run(self, columns: Sequence[VariantColumn], on_frame: Callable[[], None]) -> None:
        """Stream every variant into its column until all have ended (or this is cancelled:
        then every one stops, keeping what arrived); `on_frame()` after each frame drawn."""
        scale = token_scale(self.comparison.session.conversation.turns)

        def frame_drawn(streamer: TurnStreamer, column: VariantColumn) -> None:
            self._recorder.turn_progressed(streamer.turn)
            column.panel.caption = caption(streamer.entry)
            on_frame()

        self._streamers = [
            TurnStreamer(
                column.view,
                column.entry,
                column.panel,
                pacer=self._pacer,
                on_frame=lambda streamer, column=column: frame_drawn(streamer, column),
                stop_key=self._keys.key_for("stop"),
                token_scale=scale,
                live_cost=live_cost(self.comparison.session, column.turn),
            )
            for column in columns
        ]
        self._gc_pause.pause()
        ending: list[asyncio.Future[None]] = []
        try:
            await self._consume(columns, on_frame, ending)
        finally:
            # Stopped: each variant still streaming ends here, with what it had.
            for index in range(len(columns)):
                ending.append(asyncio.ensure_future(self._end(index, columns[index], on_frame)))
            await asyncio.gather(*ending)
            collect_when_idle(self._app, self._gc_pause, self._last_input, lambda: self.streaming)

    async def _consume(
        self,
        columns: Sequence[VariantColumn],
        on_frame: Callable[[], None],
        ending: list[asyncio.Future[None]],
    ) -> None:
        async with aclosing(self.comparison.stream()) as events:
            handed_back = time.monotonic()
            async for index, event in events:
                streamer = self._streamers[index]
                if streamer is not None:
                    streamer.feed(event)
                if isinstance(event, (Finished, StreamError)):  # the variant's last event
                    # Its column draws what is left while the others stream on.
                    ending.append(asyncio.ensure_future(self._end(index, columns[index], on_frame)))
                # As in the chat: a fast stream hands the event loop back now and then, so
                # that frames are drawn and keys handled while it pours in.
                if time.monotonic() - handed_back > YIELD_SECONDS:
                    await asyncio.sleep(0)
                    handed_back = time.monotonic()

    async def _end(self, index: int, column: VariantColumn, on_frame: Callable[[], None]) -> None:
        """Variant `index` has ended (or was stopped): its column shows how, the history has
        all of it."""
        streamer = self._streamers[index]
        if streamer is None:
            return
        self._streamers[index] = None
        turn = streamer.turn
        self._recorder.turn_ended(turn)
        hint = turn_hint(turn, self._keys, self._host_root, retry="send the prompt again")
        await streamer.finish(hint)
        column.panel.caption = caption(streamer.entry)
        on_frame()
