"""A layout that grows the answer must not ask for a second layout of the whole screen."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tests.tui import make_app, send
from thinkchat.simulator import Script
from thinkchat.ui.widgets.answer import AnswerView
from thinkchat.ui.widgets.conversation import ConversationView
from thinkchat.ui.widgets.sized_by_layout import SizedByLayout


class _Column(Vertical):
    """Counts the layouts it asks for."""

    DEFAULT_CSS = "_Column { height: auto; }"

    def __init__(self, *children: Static) -> None:
        super().__init__(*children)
        self.layouts_asked = 0

    def refresh(self, *regions, layout: bool = False, **kwargs) -> _Column:  # type: ignore[override]
        self.layouts_asked += layout
        return super().refresh(*regions, layout=layout, **kwargs)


class _SizedColumn(_Column, SizedByLayout):
    pass


class _Growing(App[None]):
    def __init__(self, column: type[_Column]) -> None:
        super().__init__()
        self.text = Static("one line")
        self.column = column(self.text)

    def compose(self) -> ComposeResult:
        yield self.column


async def _screen_updated(app: App[None]) -> None:
    updated = asyncio.get_running_loop().create_future()
    app.call_after_refresh(updated.set_result, None)
    await updated


@pytest.mark.parametrize(("column", "asked"), [(_Column, 1), (_SizedColumn, 0)])
async def test_a_layout_that_resizes_a_container_asks_for_another_only_without_the_mixin(
    column, asked
):
    # Without the mixin this is Textual's own behaviour, the reason for the mixin: should a
    # Textual release stop asking, the first case fails and the mixin can go.
    app = _Growing(column)
    async with app.run_test(size=(40, 20)):
        await _screen_updated(app)
        app.column.layouts_asked = 0
        app.text.update("two\nlines and a third\nline")
        await _screen_updated(app)
        assert app.column.size.height == 3  # the layout grew it
        assert app.column.layouts_asked == asked


async def test_a_new_width_still_asks_for_the_second_layout():
    # The answer measures its finished parts again over the layouts after a width change.
    app = _Growing(_SizedColumn)
    async with app.run_test(size=(40, 20)) as pilot:
        await _screen_updated(app)
        app.column.layouts_asked = 0
        await pilot.resize_terminal(30, 20)
        await _screen_updated(app)
        assert app.column.size.width == 30
        assert app.column.layouts_asked >= 1


async def test_every_container_of_a_growing_answer_is_sized_by_layout(simulator, tmp_path):
    answer = "Intro.\n\n" + "".join(f"Paragraph {n}: {'more words ' * 30}\n\n" for n in range(8))
    simulator.state.enqueue(Script(reasoning="Short.", answer=answer))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "Tell me more.")
        view = app.query_one(AnswerView)
        paragraphs = [block for segment in view.segments for block in segment.children]
        assert paragraphs
        for paragraph in paragraphs:
            chain = [paragraph, *paragraph.ancestors]
            upto = chain[: chain.index(app.query_one(ConversationView)) + 1]
            unsized = [type(node).__name__ for node in upto if not isinstance(node, SizedByLayout)]
            assert unsized == []
