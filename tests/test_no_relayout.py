"""Opening or closing the reasoning panel lays the screen out once and draws the answer once."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.strip import Strip

from tests.tui import make_app
from thinkchat.chat.turn import Turn, TurnSettings
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.renderer.no_relayout import NoRelayoutOnResize
from thinkchat.ui.renderer.scroll_bar import DirectScrollBar

SETTINGS = TurnSettings(model="qwen-plus", region="singapore", transport="openai")


class _Boxes(App[None]):
    def __init__(self, box: Vertical) -> None:
        super().__init__()
        self.box = box

    def compose(self) -> ComposeResult:
        yield self.box


class _QuietBox(Vertical, NoRelayoutOnResize):
    pass


async def _layouts_after_new_virtual_size(box: Vertical) -> int:
    """How many layouts follow when a layout would give `box` a new virtual size."""
    app = _Boxes(box)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app, layouts.append, immediate=True)
        box.virtual_size = Size(30, 8)
        for _ in range(3):
            await pilot.pause()
        return len(layouts)


async def test_textual_lays_out_again_for_a_new_virtual_size_and_the_mixin_does_not():
    # The control: if a Textual release stops asking for that layout, this fails and
    # `NoRelayoutOnResize` can go.
    assert await _layouts_after_new_virtual_size(Vertical()) >= 1
    assert await _layouts_after_new_virtual_size(_QuietBox()) == 0
    assert issubclass(DirectScrollBar, NoRelayoutOnResize)


async def test_the_panel_opening_and_closing_lays_out_once(tmp_path, monkeypatch):
    longest: list[int] = []  # the longest line of each whole drawing of the conversation
    render_lines = ConversationView.render_lines

    def measured(self: ConversationView, crop: Region) -> list[Strip]:
        lines = render_lines(self, crop)
        if crop.height == self.size.height:
            longest.append(max(len(line.text.rstrip()) for line in lines))
        return lines

    monkeypatch.setattr(ConversationView, "render_lines", measured)
    app = make_app(None, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        answer = "Some words of an answer that runs on. " * 2000
        turn = Turn.restored("a long one", SETTINGS, "", answer)
        app.chat_screen.session.conversation.turns.append(turn)
        view = app.chat_screen.conversation_view
        view.add_turn(turn)
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app, layouts.append, immediate=True)
        for _ in range(50):  # until the app lays out no more (the footer, on a busy machine)
            layouts.clear()
            await pilot.pause()
            if not layouts:
                break
        narrow = view.size.width
        for _ in range(2):  # closed, then open again
            layouts.clear()
            longest.clear()
            await pilot.press("ctrl+f")
            for _ in range(3):
                await pilot.pause()
            assert len(layouts) == 1
            if view.size.width > narrow:
                # Drawn at the new width in the update that brought it, not one later.
                assert longest[0] > narrow
