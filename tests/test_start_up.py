"""Start-up through the command's entry point: what it spares itself before the first frame."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from thinkchat import __version__
from thinkchat.simulator import DEFAULT_KEY

# Loaded after the first frame, or when first needed: the SDKs by the first request, the history
# once that frame is drawn, the config writer by the first save, the hints by the first error,
# the compare screens, copying, exporting and the system prompt by their keys; the prices and
# the billing rules by the first turn priced, the parameters' checks and presets by a value or
# a preset to check, the cut-short rules and the cut answers' part by the first turn that
# ends, editing by the first prompt sent, reopening by the history key (or --resume), the key
# check's part by a region without a key, the attachments by the attach dialog; the
# transports' base class with the first transport, the code blocks' rows by the copy-code key,
# the highlighting warm-up once the screen is up; shlex by a key command.
LATER_MODULES = (
    "openai",
    "dashscope",
    "httpx",
    "aiohttp",
    "sqlite3",
    "shlex",
    "thinkchat.history.store",
    "thinkchat.config.writer",
    "tomlkit",
    "thinkchat.chat.hints",
    "thinkchat.chat.prices",
    "thinkchat.chat.billing",
    "thinkchat.chat.parameters",
    "thinkchat.chat.cut_short",
    "thinkchat.chat.attachments",
    "thinkchat.chat.transport",
    "thinkchat.ui.code_blocks",
    "thinkchat.ui.renderer.code_block_rows",
    "thinkchat.ui.warm_up",
    "thinkchat.ui.screens.chat.compare.chat_side",
    "thinkchat.ui.screens.chat.compare.screen",
    "thinkchat.ui.screens.chat.copying",
    "thinkchat.ui.screens.chat.cut_answers",
    "thinkchat.ui.screens.chat.edit_again",
    "thinkchat.ui.screens.chat.exporting",
    "thinkchat.ui.screens.chat.key_check",
    "thinkchat.ui.screens.chat.reopening",
    "thinkchat.ui.screens.chat.system_prompt_key",
)

# `thinkchat` run headless through its entry point. When the app ends its start-up, right after
# its first frame (`GcPause.settle`), the child prints the collections made since it
# called the entry point and which of LATER_MODULES were loaded, and exits.
_TUI_CHILD = f"""
import gc, json, os, sys
from thinkchat.process import gc_pause

def report_at_first_frame(self):
    loaded = sorted(m for m in {LATER_MODULES!r} if m in sys.modules)
    print(json.dumps({{"collections": collections, "loaded": loaded}}), flush=True)
    os._exit(0)

gc_pause.GcPause.settle = report_at_first_frame
from thinkchat.cli.entry import main
gc.collect()  # what the child did so far sets off no pass below
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
main([])
"""


def _run_child(code: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DASHSCOPE_API_KEY": DEFAULT_KEY,  # no first-run dialog
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_the_tui_makes_no_collection_and_loads_nothing_it_needs_later_before_its_first_frame():
    child = _run_child(_TUI_CHILD)
    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout.splitlines()[-1])
    assert report["collections"] == []
    assert report["loaded"] == []


def test_one_shot_commands_collect_as_usual_once_parsed():
    child = _run_child(
        "import gc\n"
        "from thinkchat.cli.entry import main\n"
        "code = main(['config', 'path'])\n"
        "print(code, gc.isenabled())\n"
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[-1] == "0 True"


# What the parser does not need: `--version` and `--help` read no settings.
NOT_FOR_PARSING = (
    "thinkchat.config.loading",
    "thinkchat.config.settings",
    "thinkchat.config.prices",
    "thinkchat.config.parameters",
    "thinkchat.chat.request",
    "thinkchat.chat.prices",
    "thinkchat.chat.parameters",
    "tomllib",
)


def test_version_and_help_read_no_settings():
    child = _run_child(
        "import sys\n"
        "from thinkchat.cli.entry import main\n"
        "for argv in (['--version'], ['--help'], ['ask', '--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(sorted(m for m in {NOT_FOR_PARSING!r} if m in sys.modules))\n"
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[-1] == "[]"


def test_version_is_answered_before_the_parser_is_built():
    child = _run_child(
        "import sys\n"
        "from thinkchat.cli.entry import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit as exit:\n"
        "    print(exit.code)\n"
        "parser = ('thinkchat.cli.options', 'thinkchat.catalog')\n"
        "print(sorted(m for m in parser if m in sys.modules))\n"
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines() == [f"thinkchat {__version__}", "0", "[]"]
