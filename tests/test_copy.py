"""Copying the chosen answer, a code block of it, its prompt and its reasoning (f3, f10, the
palette), against the simulator, reading what reached the app's clipboard."""

from __future__ import annotations

from textual.geometry import Offset

from tests.tui import make_app, notifications, screen_text, send
from thinkchat.simulator import Fault, Script
from thinkchat.ui.code_blocks import code_blocks
from thinkchat.ui.screens.code_block_picker import CodeBlockPicker

SIZE = (140, 40)

THREE_BLOCKS = """\
Here are three ways.

```python
def first():
    return 1
```

Then shell:

~~~bash title="run it"
echo second
~~~

And a third:

```
plain third
```
"""


def where(app, text: str) -> Offset:
    """Where `text` starts on the screen."""
    rows = screen_text(app).splitlines()
    y = next(y for y, row in enumerate(rows) if text in row)
    return Offset(rows[y].index(text), y)


# The parser -------------------------------------------------------------------------------


def test_code_blocks_are_found_with_both_fences_their_info_and_an_open_end():
    nested = "\n  - item\n\n    ```js\n    let x\n    ```\n\n"
    blocks = code_blocks(THREE_BLOCKS + nested + "```rust\nfn")
    assert [(b.number, b.language, b.code) for b in blocks] == [
        (1, "python", "def first():\n    return 1"),
        (2, "bash", "echo second"),
        (3, "", "plain third"),
        (4, "js", "let x"),
        (5, "rust", "fn"),  # still streaming: the fence is not closed yet
    ]
    assert blocks[0].describe() == "code block 1 (python, 2 lines)"
    assert blocks[2].describe() == "code block 3 (1 line)"


def test_a_longer_fence_holds_a_shorter_one():
    (block,) = code_blocks("````markdown\n```python\nx\n```\n````\n")
    assert block.language == "markdown" and block.code == "```python\nx\n```"


# Copying ---------------------------------------------------------------------------------


async def test_f3_copies_the_chosen_answer_as_the_model_wrote_it(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning="think", answer="First **bold** answer."))
    simulator.state.enqueue(Script(reasoning="think", answer="Second `answer`."))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "one")
        await send(pilot, "two")
        await pilot.press("f3")  # nothing chosen: the last answer
        assert app.clipboard == "Second `answer`."
        assert notifications(app)[-1] == "Copied the answer (16 characters)"
        await pilot.press("ctrl+up", "ctrl+up")  # the last turn, then the one before it
        await pilot.pause()
        await pilot.press("f3")
        assert app.clipboard == "First **bold** answer."
        assert notifications(app)[-1] == "Copied the answer (22 characters)"


async def test_the_prompt_and_the_reasoning_are_copied_from_the_palette(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning="Because of Rayleigh.", answer="Blue."))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "why is the sky blue?")
        for search, copied, notice in (
            ("copy prompt", "why is the sky blue?", "Copied the prompt (20 characters)"),
            ("copy reasoning", "Because of Rayleigh.", "Copied the reasoning (20 characters)"),
        ):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*search)
            await pilot.pause(0.3)  # the palette searches on a timer
            await pilot.press("enter")
            await pilot.pause()
            assert app.clipboard == copied
            assert notifications(app)[-1] == notice


async def test_nothing_to_copy_is_said_and_copies_nothing(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning="think", answer="No code here."))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        assert notifications(app)[-1] == "Nothing to copy: there is no answer yet."
        await pilot.press("f10")
        assert notifications(app)[-1] == "Nothing to copy: there is no answer yet."
        app.chat_screen.copy_reasoning()
        await pilot.pause()
        assert notifications(app)[-1] == (
            "Nothing to copy: the reasoning panel shows no reasoning."
        )
        await send(pilot, "code?")
        await pilot.press("f10")
        assert notifications(app)[-1] == "Nothing to copy: the chosen answer has no code block."
        assert app.clipboard == ""


async def test_an_answer_cut_before_any_text_has_nothing_to_copy(simulator, tmp_path):
    simulator.state.enqueue(
        Script(reasoning="think think", answer="never", fault=Fault("drop", "reasoning", 1))
    )
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await pilot.press("f3")
        assert notifications(app)[-1] == "Nothing to copy: the chosen answer is empty."
        assert app.clipboard == ""


async def test_f10_copies_the_only_code_block(simulator, tmp_path):
    simulator.state.enqueue(Script(answer="Run:\n\n```sh\nls -l\n```\n"))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "list files")
        await pilot.press("f10")
        assert app.clipboard == "ls -l"
        assert notifications(app)[-1] == "Copied code block 1 (sh, 1 line)"


async def test_f10_copies_the_code_block_under_the_mouse(simulator, tmp_path):
    simulator.state.enqueue(Script(answer=THREE_BLOCKS))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "three ways")
        await pilot.hover(offset=where(app, "echo second"))
        await pilot.press("f10")
        assert app.clipboard == "echo second"
        assert notifications(app)[-1] == "Copied code block 2 (bash, 1 line)"
        await pilot.hover(offset=where(app, "return 1"))
        await pilot.press("f10")
        assert notifications(app)[-1] == "Copied code block 1 (python, 2 lines)"
        await pilot.hover(offset=where(app, "plain third"))
        await pilot.press("f10")
        assert app.clipboard == "plain third"


async def test_the_code_block_under_the_mouse_in_a_later_passage(simulator, tmp_path):
    # Over 1,000 characters of prose first: the answer is drawn in several passages, and the
    # blocks are numbered across them.
    prose = "".join(f"Paragraph {n}: " + "words " * 40 + "\n\n" for n in range(6))
    answer = f"```text\nearly block\n```\n\n{prose}```go\nfmt.Println(2)\n```\n\nThe end.\n"
    simulator.state.enqueue(Script(answer=answer))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "long")
        entry = app.chat_screen.conversation_view.entries[-1]
        assert len([p for p in entry.answer.passages if p.text]) > 1
        await pilot.hover(offset=where(app, "fmt.Println(2)"))
        await pilot.press("f10")
        assert app.clipboard == "fmt.Println(2)"
        assert notifications(app)[-1] == "Copied code block 2 (go, 1 line)"


async def test_f10_away_from_the_blocks_offers_a_pick_list(simulator, tmp_path):
    simulator.state.enqueue(Script(answer=THREE_BLOCKS))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "three ways")
        await pilot.hover(offset=where(app, "Then shell:"))  # prose, not a block
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, CodeBlockPicker)
        await pilot.press(*"echo", "enter")
        await pilot.pause()
        assert app.clipboard == "echo second"
        assert notifications(app)[-1] == "Copied code block 2 (bash, 1 line)"
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.chat_screen
        assert app.clipboard == "echo second"


async def test_copying_while_the_answer_streams_takes_what_arrived(simulator, tmp_path):
    # The stream stops inside the code block: its fence is not closed yet.
    answer = "Code:\n\n```python\nprint(1)\nprint(2)\n```\n"
    simulator.state.enqueue(Script(answer=answer, fault=Fault("stall", "answer", 4)))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("code")
        await pilot.press("enter")
        turns = app.chat_screen.session.conversation.turns
        while not (turns and turns[-1].answer.endswith("print(2)")):
            await pilot.pause(0.02)
        await pilot.press("f10")
        assert app.clipboard == "print(1)\nprint(2)"
        assert notifications(app)[-1] == "Copied code block 1 (python, 2 lines)"
        await pilot.press("f3")
        assert app.clipboard == "Code:\n\n```python\nprint(1)\nprint(2)"
        assert notifications(app)[-1] == "Copied the answer so far (34 characters)"
        await pilot.press("escape")
        await app.workers.wait_for_complete()
