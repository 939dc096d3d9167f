"""The conversation as one line-API widget: growing lays nothing out, widths are drawn once,
parts far from the view are estimated, and links, selection and the selected turn work."""

from __future__ import annotations

from textual.geometry import Offset
from textual.selection import Selection
from textual.strip import Strip

from tests.tui import count_text_drawn, make_app, notifications, screen_text
from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
from thinkchat.ui.app import ThinkChatApp
from thinkchat.ui.renderer.blocks import BlockKind
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.renderer.line_render import LineRenderer
from thinkchat.ui.renderer.turn_entry import TurnEntry

SETTINGS = TurnSettings(model="qwen-plus", region="singapore", transport="openai")


def _paragraphs(count: int, words: int = 40, start: int = 0) -> str:
    return "".join(
        f"Paragraph {n}: " + " ".join(f"w{n}x{i}" for i in range(words)) + ".\n\n"
        for n in range(start, start + count)
    )


async def _with_turn(app: ThinkChatApp, pilot, answer: str) -> TurnEntry:
    turn = Turn.restored("tell me everything", SETTINGS, "", answer)
    app.chat_screen.session.conversation.turns.append(turn)
    entry = app.chat_screen.conversation_view.add_turn(turn)
    await pilot.pause()
    return entry


async def _grow(entry: TurnEntry, pilot, numbers: range) -> None:
    """Add the paragraphs `numbers` to the answer one at a time, each shown, as a stream would."""
    view = pilot.app.chat_screen.conversation_view
    for n in numbers:
        view.append_answer(entry, _paragraphs(1, start=n))
        await pilot.pause()


async def _estimated_above(app: ThinkChatApp, pilot) -> ConversationView:
    """A long answer, then a narrower view: every passage far from the end is estimated."""
    await _with_turn(app, pilot, _paragraphs(150))
    await pilot.resize_terminal(80, 30)
    await pilot.pause()
    return app.chat_screen.conversation_view


def _where(app: ThinkChatApp, text: str) -> Offset:
    """Where `text` starts on the screen."""
    rows = screen_text(app).splitlines()
    y = next(y for y, row in enumerate(rows) if text in row)
    return Offset(rows[y].index(text), y)


def _shown(app: ThinkChatApp) -> list[str]:
    """The conversation's text on screen, without its scroll bar."""
    region = app.chat_screen.conversation_view.scrollable_content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [row[region.x : region.right] for row in rows]


def _count_markdown(monkeypatch) -> list[int]:
    """The width of each answer passage drawn from now on."""
    drawn: list[int] = []
    markdown = LineRenderer.markdown

    def counted(self: LineRenderer, text: str, width: int) -> list[Strip]:
        drawn.append(width)
        return markdown(self, text, width)

    monkeypatch.setattr(LineRenderer, "markdown", counted)
    return drawn


async def _layouts_from_now(app: ThinkChatApp, pilot) -> list[object]:
    """Each layout of the screen from now on, once the app has stopped laying it out (on a
    busy machine the footer may still be setting out its keys)."""
    seen: list[object] = []
    app.screen.screen_layout_refresh_signal.subscribe(app, seen.append, immediate=True)
    for _ in range(50):
        seen.clear()
        await pilot.pause()
        if not seen:
            break
    return seen


async def test_an_answer_growing_on_screen_lays_nothing_out(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        entry = await _with_turn(app, pilot, _paragraphs(20))
        view = app.chat_screen.conversation_view
        assert view.show_vertical_scrollbar and view.scroll_y == view.max_scroll_y
        layouts = await _layouts_from_now(app, pilot)
        for n in range(20, 26):
            view.append_answer(entry, _paragraphs(1, start=n))
            await pilot.pause()
            # Followed at once: the new end is on screen, and the scroll bar knows the height.
            assert f"w{n}x39." in screen_text(app)
            assert view.scroll_y == view.max_scroll_y
            assert view.vertical_scrollbar.window_virtual_size == view.virtual_size.height
        assert layouts == []


async def test_an_answer_growing_below_the_view_leaves_the_reader_where_they_are(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        entry = await _with_turn(app, pilot, _paragraphs(20))
        view = app.chat_screen.conversation_view
        view.scroll_to(y=5, animate=False, immediate=True)
        await pilot.pause()
        shown = _shown(app)
        view.append_answer(entry, _paragraphs(3, start=20))
        await pilot.pause()
        assert view.scroll_y == 5 and _shown(app) == shown


async def test_the_panel_opening_and_closing_draws_no_answer_again(tmp_path, monkeypatch):
    drawn = _count_markdown(monkeypatch)
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await _with_turn(app, pilot, _paragraphs(30))
        narrow = app.chat_screen.conversation_view.text_width
        drawn.clear()  # drawn once without the scroll bar, then with it
        # Wider: the passages near the view drawn at that width; then, between frames, those
        # of them never drawn narrow at the narrow width too.
        await pilot.press("ctrl+f")
        await pilot.pause()
        wide = app.chat_screen.conversation_view.text_width
        assert wide in drawn and set(drawn) <= {narrow, wide}
        count = len(drawn)
        for _ in range(2):
            await pilot.press("ctrl+f")
            await pilot.pause()
            await pilot.press("ctrl+f")
            await pilot.pause()
        assert len(drawn) == count  # both widths were kept


async def test_what_streamed_in_since_the_panel_moved_is_drawn_at_its_other_width_too(
    tmp_path, monkeypatch
):
    drawn = _count_markdown(monkeypatch)
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        entry = await _with_turn(app, pilot, _paragraphs(30))
        await pilot.press("ctrl+f")
        await pilot.pause()
        wide = app.chat_screen.conversation_view.text_width
        drawn.clear()
        # Segments added while the panel is closed, shown at the wide width only...
        await _grow(entry, pilot, range(30, 42))
        narrow_drawn = [width for width in drawn if width != wide]
        assert narrow_drawn, "nothing was drawn at the narrow width between frames"
        # ... are drawn at the narrow one between frames, so opening the panel draws none.
        drawn.clear()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.chat_screen.conversation_view.text_width != wide
        assert drawn == []


async def test_a_resize_leaves_no_other_width_to_draw(tmp_path, monkeypatch):
    drawn = _count_markdown(monkeypatch)
    app = make_app(None, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        entry = await _with_turn(app, pilot, _paragraphs(30))
        await pilot.resize_terminal(110, 30)
        await pilot.pause()
        width = app.chat_screen.conversation_view.text_width
        drawn.clear()
        await _grow(entry, pilot, range(30, 36))
        assert drawn and set(drawn) == {width}


async def test_details_that_read_as_before_are_not_drawn_again(tmp_path, monkeypatch):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        entry = await _with_turn(app, pilot, _paragraphs(3))
        view = app.chat_screen.conversation_view
        drawn = count_text_drawn(monkeypatch)
        view.refresh_details(entry)  # what a frame of a stream does
        await pilot.pause()
        assert drawn == []
        entry.turn.status = TurnStatus.CANCELLED
        view.refresh_details(entry)
        await pilot.pause()
        assert any("stopped" in line for line in drawn)


async def test_passages_far_from_the_view_are_estimated_then_drawn_in_place(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        entry = await _with_turn(app, pilot, _paragraphs(150))
        view = app.chat_screen.conversation_view
        end_text = screen_text(app)
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        width = view.text_width
        passages = [passage for passage in entry.answer.passages if passage.text]
        assert len(passages) > 10
        assert width not in passages[0].rendered  # far above the view: its height estimated
        assert width in passages[-1].rendered  # on screen: drawn

        view.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        assert width in passages[0].rendered
        assert "Paragraph 0: w0x0" in screen_text(app)

        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert screen_text(app) == end_text  # back at the first width and the end: the same


async def test_the_lines_on_screen_stay_put_when_estimates_above_them_are_drawn(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await _estimated_above(app, pilot)
        view.scroll_to(y=view.max_scroll_y // 2, animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        shown = _shown(app)
        top = view.scroll_y
        assert len(view.lines) == view.virtual_size.height  # draws every passage, exactly
        view.turn_changed(view.entries[0])
        await pilot.pause()
        assert _shown(app) == shown
        assert view.scroll_y != top  # the estimates above were wrong, and the view moved


async def test_a_click_on_a_link_copies_it_and_opens_nothing(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _with_turn(app, pilot, "See [the docs](https://example.com/docs) first.\n")
        link = _where(app, "the docs")
        assert app.chat_screen.conversation_view.region.contains_point(link)
        await pilot.click(offset=link + Offset(2, 0))
        await pilot.pause()
        assert "Link copied (not opened): https://example.com/docs" in notifications(app)
        assert app.clipboard == "https://example.com/docs"


async def test_a_selection_copies_the_text_as_shown_without_padding(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _with_turn(app, pilot, "First line of the answer.\n\n- one\n- two\n")
        view = app.chat_screen.conversation_view
        text, ending = view.get_selection(Selection(None, None))
        assert ending == "\n"
        assert "You · 1" in text and "tell me everything" in text
        assert "First line of the answer." in text and "• one" in text
        assert all(line == line.rstrip() for line in text.splitlines())
        row = view.line_of(view.entries[0], BlockKind.ANSWER)
        part, _ = view.get_selection(Selection(Offset(2, row), Offset(12, row)))
        assert part == "First line"


async def test_the_selected_turn_is_marked_in_its_left_column(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _with_turn(app, pilot, "The first answer.\n")
        await _with_turn(app, pilot, "The second answer.\n")
        await pilot.press("ctrl+up")
        await pilot.press("ctrl+up")
        await pilot.pause()
        view = app.query_one(ConversationView)
        assert view.selected is view.entries[0]
        marked = [row for row in screen_text(app).splitlines() if row.lstrip().startswith("▌")]
        assert any("The first answer." in row for row in marked)
        assert not any("The second answer." in row for row in marked)


async def test_a_clickable_line_is_underlined_under_the_mouse(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _with_turn(app, pilot, "An answer.\n")
        view = app.chat_screen.conversation_view
        summary_y = _where(app, "Waiting for the model").y
        answer_y = _where(app, "An answer.").y

        def underlined(y: int) -> bool:
            strip = view.render_line(y - view.content_region.y)
            return any(style and style.underline for text, style, _ in strip if text.strip())

        await pilot.hover(offset=(5, summary_y))
        assert underlined(summary_y) and not underlined(answer_y)
        await pilot.hover(offset=(5, answer_y))
        assert not underlined(summary_y)


async def test_a_click_on_the_note_above_shows_the_earlier_turns(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        turns = [Turn.restored(f"question {n}", SETTINGS, "", f"Answer {n}.") for n in range(25)]
        app.chat_screen.session.conversation.turns.extend(turns)
        view = app.chat_screen.conversation_view
        view.PAGE_TURNS = 2  # a page that fits: the note is on screen without scrolling
        view.show_turns(turns)
        await pilot.pause()
        assert view.hidden_count == 23 and view.max_scroll_y == 0
        await pilot.click(offset=_where(app, "earlier turns"))
        await pilot.pause()
        assert view.hidden_count == 21
        assert [entry.number for entry in view.entries] == [22, 23, 24, 25]


async def test_a_smooth_scroll_over_estimated_passages_gets_where_it_was_going(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await _estimated_above(app, pilot)
        view.focus()
        await pilot.press("home")  # animated, drawing estimated parts on its way
        await pilot.wait_for_animation()
        await pilot.pause()
        assert view.scroll_y == 0
        assert "Paragraph 0: w0x0" in screen_text(app)


async def test_text_dragged_over_with_the_mouse_is_copied_by_ctrl_c(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _with_turn(app, pilot, "Copy **this** text please.\n")
        start = _where(app, "Copy this text")
        await pilot.mouse_down(offset=start)
        await pilot.hover(offset=start + Offset(9, 0))
        await pilot.mouse_up(offset=start + Offset(9, 0))
        await pilot.press("ctrl+c")
        assert app.clipboard == "Copy this"


async def test_a_line_is_drawn_again_only_when_it_changed(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        entry = await _with_turn(app, pilot, _paragraphs(20))
        view = app.chat_screen.conversation_view
        y = view.scrollable_content_region.height - 5
        first = view.render_line(y)
        assert view.render_line(y) is first  # a stream frame redraws every row on screen
        view.select(entry)
        marked = view.render_line(y)
        assert marked is not first and marked.text.startswith("▌")
        view.append_answer(entry, _paragraphs(1, start=20))  # the view follows: new lines there
        changed = view.render_line(y)
        assert changed.text != marked.text
        assert view.render_line(y) is changed  # and kept in turn


async def test_a_new_theme_draws_the_answers_again_and_a_change_of_focus_does_not(
    tmp_path, monkeypatch
):
    drawn = _count_markdown(monkeypatch)
    app = make_app(None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _with_turn(app, pilot, _paragraphs(30))
        view = app.chat_screen.conversation_view
        look = view.renderer.look
        drawn.clear()
        view.focus()
        await pilot.pause()
        app.chat_screen.prompt_input.focus()
        await pilot.pause()
        assert drawn == [] and view.renderer.look is look
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        assert drawn and view.renderer.look != look
