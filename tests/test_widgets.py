"""The reasoning log: its wrapping, its following the end, its style worked out once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color

from thinkchat.ui.renderer.reasoning_log import ReasoningLog, wrap

WORDS = st.lists(
    st.sampled_from(["a", "bb", "word", "中文", "😀", " ", "  ", "x" * 30]), max_size=60
)


@given(pieces=WORDS, width=st.integers(1, 40))
def test_wrap_keeps_every_character_and_every_row_fits(pieces, width):
    text = "".join(pieces)
    rows = wrap(text, width)
    for row in rows:
        assert cell_len(row) <= width or len(row) == 1  # a wide character alone may overhang
    joined = "".join(rows)
    assert joined.replace(" ", "") == text.replace(" ", "")  # nothing but break spaces goes
    assert len(text) - len(joined) <= len(rows) - 1  # at most one space per break


def test_wrap_is_linear_in_the_text():
    rows = wrap("word " * 50_000, 10)
    assert len(rows) == 25_000


class _Holder(App[None]):
    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget

    def get_css_variables(self) -> dict[str, str]:
        variables = super().get_css_variables()
        return {
            "reasoning-background": variables["surface"],
            "reasoning-foreground": variables["foreground"],
            **variables,
        }


async def test_the_reasoning_log_waits_until_it_is_shown_to_wrap():
    log = ReasoningLog()
    async with _Holder(log).run_test(size=(40, 10)) as pilot:
        log.append("one two three four five six seven eight nine ten eleven twelve")
        wrapped = log.row_count
        assert wrapped > 1
        log.display = False
        await pilot.pause()
        log.append(" more words\nand a new paragraph")
        assert log.text.endswith("more words\nand a new paragraph")
        log.display = True
        await pilot.pause()
        assert log.row_count > wrapped
        assert log.text == (
            "one two three four five six seven eight nine ten eleven twelve"
            " more words\nand a new paragraph"
        )


async def test_the_reasoning_log_follows_its_end_as_it_grows_without_waiting_for_a_layout():
    log = ReasoningLog()
    async with _Holder(log).run_test(size=(40, 10)) as pilot:
        log.append("line\n" * 30)
        await pilot.pause()
        assert log.show_vertical_scrollbar
        assert log.scroll_y == log.max_scroll_y
        log.append("more\n" * 20)
        # Right away: the size, the scroll bar and the scroll position are those of the text.
        assert log.virtual_size.height == log.row_count
        assert log.vertical_scrollbar.window_virtual_size == log.row_count
        assert (
            log.scroll_y == log.max_scroll_y == log.row_count - log.scrollable_content_region.height
        )
        log.scroll_to(y=0, animate=False)
        await pilot.pause()
        log.append("even more\n" * 5)  # scrolled up: left where the reader is
        await pilot.pause()
        assert log.scroll_y == 0


async def test_the_reasoning_log_works_its_style_out_once_until_the_styles_change(monkeypatch):
    # Textual works `rich_style` out anew at every read: once a row, it was a sixth of a frame.
    reads: list[ReasoningLog] = []
    rich_style = ReasoningLog.rich_style

    def counted(self: ReasoningLog) -> Style:
        reads.append(self)
        return rich_style.fget(self)

    monkeypatch.setattr(ReasoningLog, "rich_style", property(counted))
    log = ReasoningLog()
    async with _Holder(log).run_test(size=(40, 10)) as pilot:
        log.append("line\n" * 30)
        await pilot.pause()
        log.scroll_to(y=5, animate=False)  # every row drawn again
        await pilot.pause()
        assert 1 <= len(reads) <= 2
        pilot.app.theme = "textual-light"
        await pilot.pause()
        background = Color.parse(pilot.app.get_css_variables()["surface"]).rich_color
        assert next(iter(log.render_line(0))).style.bgcolor == background
