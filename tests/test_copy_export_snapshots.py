"""SVG snapshots of the code block pick-list (f10 over an answer with several) and the export
dialog.

Regenerate after an intended change of the look with
`python -m pytest tests/test_copy_export_snapshots.py --snapshot-update`, and look at the SVGs.
"""

from __future__ import annotations

from tests.test_snapshots import SIZE, finished_turn, keys, run, screen_is
from tests.tui import make_app
from thinkchat.simulator import Script
from thinkchat.ui.screens.code_block_picker import CodeBlockPicker
from thinkchat.ui.screens.export_dialog import ExportDialog

CODE_ANSWER = """\
Three ways to count the lines of a file:

```python
with open("notes.txt") as file:
    print(sum(1 for _ in file))
```

```bash
wc -l notes.txt
```

~~~
awk 'END { print NR }' notes.txt
~~~
"""


def test_snapshot_code_block_picker(snap_compare, simulator, tmp_path):
    simulator.state.enqueue(Script(answer=CODE_ANSWER))
    app = make_app(simulator, tmp_path)
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=run(
            finished_turn("How do I count lines?"), keys("f10"), screen_is(CodeBlockPicker)
        ),
    )


def test_snapshot_export_dialog(snap_compare, simulator, tmp_path, monkeypatch):
    # The dialog names the current folder: one that is the same on every machine.
    monkeypatch.chdir("/")
    simulator.state.enqueue(Script(answer=CODE_ANSWER))
    app = make_app(simulator, tmp_path)

    async def export(pilot) -> None:
        app.chat_screen.ask_export("md")

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=run(finished_turn("How do I count lines?"), export, screen_is(ExportDialog)),
    )
