"""The panes finish their lines as Textual would, and finish a line once, not at each move."""

from __future__ import annotations

from rich.console import Console
from textual.geometry import Offset, Region
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

from tests.tui import count_text_drawn, make_app
from thinkchat.chat.turn import Turn, TurnSettings
from thinkchat.ui.app import ThinkChatApp

SETTINGS = TurnSettings(model="qwen-plus", region="singapore", transport="openai")
ANSWER = "".join(
    f"Paragraph {n}: some **bold** words, `code` and [a link](https://example.com/{n}).\n\n"
    for n in range(60)
)
REASONING = "".join(f"thinking about step {n} of the problem at hand\n" for n in range(200))


def _cells(strips: list[Strip], console: Console) -> list[tuple[str, list[object]]]:
    """Each line as the terminal receives it, with what its cells carry for the mouse."""
    return [
        (strip.render(console), [segment.style and segment.style.meta for segment in strip])
        for strip in strips
    ]


async def _long_turn(app: ThinkChatApp, pilot) -> None:
    turn = Turn.restored("tell me everything", SETTINGS, REASONING, ANSWER)
    app.chat_screen.session.conversation.turns.append(turn)
    app.chat_screen.conversation_view.add_turn(turn)
    app.chat_screen.panel.show_turn(turn, "the long one", follow=True)
    for _ in range(3):
        await pilot.pause()


def _whole(widget: Widget) -> Region:
    return Region(0, 0, widget.region.width, widget.region.height)


async def test_the_panes_lines_are_finished_as_textual_finishes_them(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await _long_turn(app, pilot)
        view, log = app.chat_screen.conversation_view, app.chat_screen.panel.log_view
        view.select(view.entries[-1])  # the mark in the left column
        view.scroll_to(y=view.max_scroll_y // 2, animate=False, immediate=True)
        log.scroll_to(y=40, animate=False, immediate=True)
        await pilot.pause()
        first = view.scrollable_content_region.y
        app.screen.selections = {view: Selection(Offset(3, first + 2), Offset(20, first + 5))}
        await pilot.pause()
        for pane in (view, log):
            whole = _whole(pane)
            for crop in (whole, Region(2, 4, whole.width - 5, 7)):
                ours = _cells(pane.render_lines(crop), app.console)
                pane._styles_cache.clear()  # Textual's finishing, from scratch
                assert ours == _cells(Widget.render_lines(pane, crop), app.console)
                assert len(ours) == crop.height


async def test_a_line_that_only_moved_is_not_finished_again(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await _long_turn(app, pilot)
        for pane in (app.chat_screen.conversation_view, app.chat_screen.panel.log_view):
            pane.scroll_to(y=pane.max_scroll_y - 10, animate=False, immediate=True)
            await pilot.pause()
            before = pane.render_lines(_whole(pane))
            pane.scroll_to(y=pane.max_scroll_y - 7, animate=False, immediate=True)  # 3 rows
            await pilot.pause()
            after = pane.render_lines(_whole(pane))
            assert after[:-3] == before[3:]
            assert all(a is b for a, b in zip(after[:-3], before[3:], strict=True))


async def test_the_panel_closing_and_opening_again_draws_and_finishes_nothing_again(
    tmp_path, monkeypatch
):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await _long_turn(app, pilot)
        view, log = app.chat_screen.conversation_view, app.chat_screen.panel.log_view
        await pilot.press("ctrl+f")  # each width drawn once
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        lines = view.render_lines(_whole(view)), log.render_lines(_whole(log))
        drawn = count_text_drawn(monkeypatch)
        for _ in range(2):
            await pilot.press("ctrl+f")
            await pilot.pause()
            assert view.render_lines(_whole(view)) != lines[0]  # another width
            await pilot.press("ctrl+f")
            await pilot.pause()
        again = view.render_lines(_whole(view)), log.render_lines(_whole(log))
        assert drawn == []  # no turn's heading, summary or usage line drawn again
        for kept, now in zip(lines, again, strict=True):
            assert all(a is b for a, b in zip(kept, now, strict=True))
