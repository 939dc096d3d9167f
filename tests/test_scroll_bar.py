"""The panes' scroll bar draws exactly what Textual's draws, without Textual's drawing."""

from __future__ import annotations

import pytest
from rich.console import Console
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from tests.tui import make_app
from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
from thinkchat.ui.renderer.scroll_bar import DirectScrollBar

SETTINGS = TurnSettings(model="qwen-plus", region="singapore", transport="openai")
TEXT = "".join(f"line {n} of a long reasoning\n" for n in range(300))


def _cells(strips: list[Strip], console: Console) -> list[tuple[str, str, object]]:
    """Each line as the terminal receives it, with the mouse actions its cells carry."""
    return [
        (
            strip.render(console),
            strip.text,
            [segment.style.meta if segment.style else None for segment in strip],
        )
        for strip in strips
    ]


def _whole(widget: DirectScrollBar) -> Region:
    return Region(0, 0, widget.size.width, widget.size.height)


def _thumb_rows(bar: ScrollBar) -> list[int]:
    """The rows where the bar draws its thumb (whole cells, drawn reversed)."""
    lines = bar.render_lines(_whole(bar))
    return [y for y, line in enumerate(lines) if next(iter(line)).style.reverse]


@pytest.mark.parametrize("state", ["idle", "hovered", "grabbed"])
async def test_the_scroll_bar_draws_what_textual_draws(state, tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        log = app.chat_screen.panel.log_view
        log.set_text(TEXT, follow=False)
        await pilot.pause()
        bar = log.vertical_scrollbar
        assert isinstance(bar, DirectScrollBar) and bar.display
        bar.mouse_over = state == "hovered"
        bar.grabbed = bar.region.offset if state == "grabbed" else None
        height = bar.size.height
        drawn_shapes = set()
        for fraction in (0.0, 0.13, 0.5, 0.77, 1.0):
            log.scroll_to(y=fraction * log.max_scroll_y, animate=False, immediate=True)
            await pilot.pause()
            for crop in (Region(0, 0, 1, height), Region(0, 3, 1, height - 5)):
                ours = _cells(bar.render_lines(crop), app.console)
                bar._styles_cache.clear()  # Textual's drawing, from scratch
                assert ours == _cells(ScrollBar.render_lines(bar, crop), app.console)
                assert len(ours) == crop.height
                if crop.y == 0:
                    drawn_shapes.add(tuple(rendered for rendered, _, _ in ours))
        assert len(drawn_shapes) == 5  # the thumb moved each time: the bars compared differ


async def test_the_panes_draw_their_scroll_bars_without_richs_renderer(tmp_path, monkeypatch):
    drawn: list[Region] = []
    rich_renders: list[ScrollBarRender] = []
    render_lines = DirectScrollBar.render_lines
    rich_console = ScrollBarRender.__rich_console__

    def counted_lines(self: DirectScrollBar, crop: Region) -> list[Strip]:
        drawn.append(crop)
        return render_lines(self, crop)

    def counted_rich(self: ScrollBarRender, console: Console, options: object) -> object:
        rich_renders.append(self)
        yield from rich_console(self, console, options)

    monkeypatch.setattr(DirectScrollBar, "render_lines", counted_lines)
    monkeypatch.setattr(ScrollBarRender, "__rich_console__", counted_rich)
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        app.chat_screen.panel.log_view.set_text(TEXT, follow=True)
        turn = Turn.restored("a long one", SETTINGS, "", TEXT)
        app.chat_screen.session.conversation.turns.append(turn)
        app.chat_screen.conversation_view.add_turn(turn)
        for _ in range(3):
            await pilot.pause()
        assert app.chat_screen.panel.log_view.vertical_scrollbar.display
        assert app.chat_screen.conversation_view.vertical_scrollbar.display
    assert drawn
    assert rich_renders == []


async def test_an_earlier_turns_reasoning_opens_with_its_thumb_at_the_top(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()  # the empty log, anchored at its end, laid out
        turn = Turn.restored("q", SETTINGS, TEXT, "an answer", status=TurnStatus.DONE)
        app.chat_screen.session.conversation.turns.append(turn)
        entry = app.chat_screen.conversation_view.add_turn(turn)
        view = app.chat_screen.conversation_view
        view.post_message(view.TurnSelected(entry, expand=False))
        for _ in range(3):
            await pilot.pause()
        log = app.chat_screen.panel.log_view
        bar = log.vertical_scrollbar
        assert log.scroll_y == 0 and bar.display
        assert bar.position == 0
        # 28 rows of a 300-row text: a thumb of 2–3 cells, not a sliver
        assert len(_thumb_rows(bar)) >= 2


async def test_a_conversation_that_follows_its_end_shows_its_thumb_at_the_end(tmp_path):
    # The turn fills the view in one step: the view scrolls to its end before the layout shows
    # the bar (Textual passes the scroll position only to a bar that is shown). Short lines
    # wrap alike with and without the bar, so nothing scrolls again once the bar is there.
    answer = "".join(f"line {n}\n\n" for n in range(20))
    app = make_app(None, tmp_path)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        view = app.chat_screen.conversation_view
        turn = Turn.restored("q", SETTINGS, "", answer, status=TurnStatus.DONE)
        view.add_turn(turn)
        for _ in range(3):
            await pilot.pause()
        bar = view.vertical_scrollbar
        assert bar.display and view.scroll_y == view.max_scroll_y > 0
        assert bar.position == view.scroll_y
        assert _thumb_rows(bar)[-1] == bar.size.height - 1  # the thumb ends at the bar's end
