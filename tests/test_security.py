"""Secrets stay secret, model output stays text, bad input gets a clear message."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from rich.console import Console
from rich.traceback import Traceback

from tests.process import thinkchat
from tests.tui import make_app, screen_text, send
from thinkchat.chat.api_key import ApiKey, mask_key
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.turn import TurnStatus
from thinkchat.config.loading import load_config
from thinkchat.history.export import to_json, to_markdown
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import Fault, Script, Simulator
from thinkchat.ui.screens.first_run import KeyEntry

SECRET_KEY = "sk-0123456789abcdefa1b2"
HOSTILE = (
    "[bold red]markup[/] [link=http://evil.example]link[/link] "
    "\x1b[2J\x1b[31mcsi\x1b[0m \x1b]0;title\x07osc \x1b]8;;http://x\x1b\\hyper\x1b]8;;\x1b\\ "
    "\x9b31m c1 \x07bell over\rwrite \x00nul end"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text\n\twith tab", "plain text\n\twith tab"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]0;window title\x07after", "after"),
        ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x9b2Jcleared", "cleared"),
        ("bell\x07", "bell"),
        ("over\rwrite", "overwrite"),
        ("\x1bPdevice control\x1b\\text", "text"),
        ("split \x1b", "split "),
        ("[b]kept[/b]", "[b]kept[/b]"),
        ("中文 😀 é", "中文 😀 é"),
    ],
)
def test_terminal_text_neutralises_control_sequences(text, expected):
    assert safe_for_terminal(text) == expected


def test_keys_are_masked_wherever_they_are_shown():
    assert mask_key("sk-0123456789abcdefa1b2") == "sk-…a1b2"
    assert mask_key("abcdefghijkl") == "…ijkl"
    secret = ApiKey("sk-0123456789abcdefa1b2")
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}"):
        assert "0123456789" not in shown
    assert secret.reveal() == "sk-0123456789abcdefa1b2"


def test_a_crash_report_never_prints_a_key(tmp_path: Path):
    """Textual's crash report shows every frame's local variables (rich's `show_locals`): a
    config, its keys, or a key typed on the first-run screen must print masked there."""
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'[api_keys]\nsingapore = "{SECRET_KEY}"\n', encoding="utf-8")
    config = load_config(config_path)
    entry = KeyEntry("virginia", SECRET_KEY, save=False)
    assert config.api_keys["singapore"].resolve() == SECRET_KEY
    try:
        raise RuntimeError(f"crashed with {len([config, entry])} locals")
    except RuntimeError as crash:
        report = Traceback.from_exception(
            type(crash), crash, crash.__traceback__, show_locals=True, locals_max_string=200
        )
    console = Console(record=True, width=200, file=io.StringIO())
    console.print(report)
    text = console.export_text()
    assert "crashed with 2 locals" in text
    assert mask_key(SECRET_KEY) in text
    assert SECRET_KEY[3:-4] not in text


def test_a_readable_config_holding_a_key_draws_a_chmod_warning(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('[api_keys]\nsingapore = "sk-secret-1234"\n', encoding="utf-8")
    config.chmod(0o644)
    (warning,) = load_config(config).warnings
    assert f"chmod 600 {config}" in warning
    assert "sk-secret" not in warning
    config.chmod(0o600)
    assert load_config(config).warnings == ()
    config.write_text('[api_keys]\nsingapore = { env = "MY_KEY" }\n', encoding="utf-8")
    config.chmod(0o644)
    assert load_config(config).warnings == ()  # no key in the file, nothing to protect


async def test_the_key_is_never_in_the_history_or_exports(tmp_path: Path):
    secret = "sk-super-secret-history-7777"
    with Simulator(keys=[secret]) as simulator:
        app = make_app(simulator, tmp_path, key=secret, thinking="on")
        async with app.run_test(size=(140, 40)) as pilot:
            await send(pilot, "hello")
            assert secret not in screen_text(app)
            conversation_id = app.chat_screen.session.conversation.id
    database = (tmp_path / "history.sqlite3").read_bytes()
    assert secret.encode() not in database
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        stored = store.load_conversation(conversation_id)
    assert stored.conversation.turns[0].status is TurnStatus.DONE
    assert secret not in to_markdown(stored) and secret not in to_json(stored)


async def test_hostile_model_output_and_error_text_are_shown_as_text(simulator, tmp_path):
    simulator.state.enqueue(
        Script(reasoning=HOSTILE, answer=HOSTILE),
        Script(fault=Fault("server", message=HOSTILE)),
    )
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=(200, 60)) as pilot:
        for prompt in ("first", "second"):
            app.chat_screen.prompt_input.insert(prompt)
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        text = screen_text(app)
        assert "[bold red]markup[/]" in text
        assert "[link=http://evil.example]link[/link]" in text
        assert "overwrite" in text
        for control in ("\x1b", "\x07", "\x9b", "\r", "\x00"):
            assert control not in text
        assert app.chat_screen.session.conversation.turns[1].error is not None
        assert text.count("[bold red]markup[/]") >= 2  # the answer and the error message


def test_ask_keeps_the_exact_text_in_a_pipe(simulator):
    """On a terminal the same text is neutralised: see test_ask.py's pty test."""
    simulator.state.enqueue(Script(answer=HOSTILE))
    piped = thinkchat("ask", "--endpoint", simulator.url, "--no-think", "hi")
    assert piped.stdout.decode() == HOSTILE  # a pipe gets the exact text


def test_a_hostile_error_message_is_neutralised_in_ask(simulator):
    simulator.state.enqueue(Script(fault=Fault("server", message="bad \x1b]0;pwned\x07 news")))
    result = thinkchat("ask", "--endpoint", simulator.url, "hi")
    assert b"bad  news" in result.stderr
    assert b"\x1b]0" not in result.stderr and b"\x07" not in result.stderr


def test_ask_takes_a_one_megabyte_prompt(simulator):
    big = ("lorem ipsum " * 90_000)[:1_000_000]
    result = thinkchat("ask", "--endpoint", simulator.url, "summarise", stdin=big.encode())
    assert result.returncode == 0, result.stderr
    sent = simulator.state.requests[-1].body["messages"][-1]["content"]
    assert sent == "summarise\n\n" + big.strip("\n")


async def test_the_tui_takes_a_one_megabyte_prompt(simulator, tmp_path):
    big = "x" * 1_000_000
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        app.chat_screen.prompt_input.insert(big)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.chat_screen.session.conversation.turns[0].status is TurnStatus.DONE
        assert "1,000,000 characters in all, all sent" in screen_text(app)
    assert len(simulator.state.requests[-1].body["messages"][-1]["content"]) == 1_000_000


def test_the_history_is_readable_by_its_owner_only(tmp_path: Path):
    with HistoryStore(tmp_path / "data" / "history.sqlite3") as store:
        store.create_conversation(model="qwen-plus", region="singapore", transport="openai")
    assert stat.S_IMODE((tmp_path / "data" / "history.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
