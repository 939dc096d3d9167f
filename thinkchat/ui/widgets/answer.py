"""An answer rendered as Markdown, fed a fragment at a time while it streams."""

from __future__ import annotations

from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from thinkchat.terminal_text import safe_for_terminal


class AnswerView(Markdown):
    """The model's answer. Links are not opened on click: they come from the model."""

    DEFAULT_CSS = """
    AnswerView {
        margin: 0;
        padding: 0 1;
        background: transparent;
    }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(safe_for_terminal(text), open_links=False)
        self._stream: MarkdownStream | None = None

    async def append_text(self, fragment: str) -> None:
        """Add a fragment at the end; fragments that arrive while rendering are batched."""
        if self._stream is None:
            self._stream = self.get_stream(self)
        await self._stream.write(safe_for_terminal(fragment))

    async def finish(self) -> None:
        """Render whatever is still pending and stop streaming."""
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.stop()
