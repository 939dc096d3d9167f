"""The fault matrix: every fault, both transports, in `thinkchat ask` and in the TUI.

Read the report as the matrix: `test_ask_survives[openai-rate_limit_429]` is the cell for a
rate limit in `thinkchat ask` over the OpenAI SDK. Each cell checks what the user sees (exit
code or the failed turn), the message (service code, message, request id, hint), that the text
that arrived before the fault is kept (and stored, in the TUI), and that the TUI goes on to
answer the next prompt.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.tui import make_app, make_config, screen_text, send
from thinkchat.chat.turn import TurnStatus
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import DEFAULT_KEY, Fault, Script

REASONING = "r1 r2 r3 r4 r5 r6"
ANSWER = "a1 a2 a3 a4 a5 a6"


@dataclass(frozen=True)
class Cell:
    """One fault and what the user must be told about it."""

    name: str
    fault: Fault | None = None
    codes: tuple[str, str] | None = None  # (openai, dashscope) service codes shown
    words: str = ""  # part of the message or the hint
    request_id: bool = True  # the service gave a request id to show
    kept: tuple[str, str] = ("", "")  # reasoning and answer kept from before the fault
    key: str = DEFAULT_KEY
    model: str = "qwen3-8b"
    refused: bool = False  # nobody listens at the endpoint


CELLS = [
    Cell(
        "wrong_key_401",
        codes=("invalid_api_key", "InvalidApiKey"),
        words="per region",
        key="sk-wrong-key-0000",
    ),
    Cell("forbidden_403", Fault("forbidden"), ("access_denied", "AccessDenied"), "console"),
    Cell(
        "unknown_model_404",
        None,
        ("model_not_found", "ModelNotFound"),
        "model name",
        model="no-such-model",
    ),
    Cell(
        "invalid_parameter_400",
        Fault("invalid"),
        ("invalid_parameter_error", "InvalidParameter"),
        "refused a parameter",
    ),
    Cell(
        "inspection_400",
        Fault("inspection"),
        ("data_inspection_failed", "DataInspectionFailed"),
        "rephrase",
    ),
    Cell(
        "inspection_mid_stream",
        Fault("stream_error", "answer", 3),
        ("data_inspection_failed", "DataInspectionFailed"),
        "rephrase",
        kept=(REASONING, "a1 a2 a3"),
    ),
    Cell("arrears_400", Fault("arrears"), ("Arrearage", "Arrearage"), "arrears"),
    Cell(
        "rate_limit_429_retry_after",
        Fault("rate_limit", retry_after=7),
        ("limit_requests", "Throttling.RateQuota"),
        "wait 7 s",
    ),
    Cell(
        "rate_limit_429",
        Fault("rate_limit"),
        ("limit_requests", "Throttling.RateQuota"),
        "wait a moment",
    ),
    Cell("server_error_500", Fault("server"), ("internal_error", "InternalError"), "on its side"),
    Cell(
        "unavailable_503",
        Fault("unavailable"),
        ("model_unavailable", "ModelUnavailable"),
        "on its side",
    ),
    Cell(
        "connection_refused",
        None,
        ("ConnectionError", "ConnectionError"),
        "Check the network",
        request_id=False,
        refused=True,
    ),
    Cell(
        "dropped_mid_reasoning",
        Fault("drop", "reasoning", 3),
        ("ConnectionDropped", "ConnectionDropped"),
        "broke off",
        kept=("r1 r2 r3", ""),
    ),
    Cell(
        "dropped_mid_answer",
        Fault("drop", "answer", 3),
        ("ConnectionDropped", "ConnectionDropped"),
        "broke off",
        kept=(REASONING, "a1 a2 a3"),
    ),
    Cell(
        "malformed_chunk",
        Fault("malformed", "answer", 3),
        ("Malformed", "Malformed"),
        "expected protocol",
        kept=(REASONING, "a1 a2 a3"),
    ),
    Cell(
        "empty_stream",
        Fault("empty"),
        ("StreamEnded", "StreamEnded"),
        "broke off",
        request_id=False,
    ),
    Cell(
        "stalled_stream",
        Fault("stall", "answer", 3),
        ("Timeout", "Timeout"),
        "read_timeout",
        kept=(REASONING, "a1 a2 a3"),
    ),
    Cell(
        "no_done_no_finish",
        Fault("no_finish"),
        ("StreamEnded", "StreamEnded"),
        "broke off",
        request_id=False,
        kept=(REASONING, ANSWER),
    ),
]
TRANSPORTS = ["openai", "dashscope"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare(simulator, cell: Cell) -> None:
    if cell.fault is not None:
        simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER, fault=cell.fault))
    else:
        simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER))


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("cell", CELLS, ids=[cell.name for cell in CELLS])
def test_ask_survives(simulator, tmp_path: Path, transport: str, cell: Cell) -> None:
    _prepare(simulator, cell)
    config = tmp_path / "config.toml"
    config.write_text("[network]\nretries = 0\nread_timeout = 1\n", encoding="utf-8")
    endpoint = f"http://127.0.0.1:{_free_port()}" if cell.refused else simulator.url
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "thinkchat",
            "ask",
            "--config",
            str(config),
            "--endpoint",
            endpoint,
            "--transport",
            transport,
            "--model",
            cell.model,
            "--think",
            "hello",
        ],
        capture_output=True,
        env={**os.environ, "DASHSCOPE_API_KEY": cell.key},
        timeout=60,
        check=False,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert cell.codes is not None
    code = cell.codes[TRANSPORTS.index(transport)]
    error_line = next(line for line in stderr.splitlines() if line.startswith("thinkchat: error:"))
    assert code in error_line
    assert ("request id" in error_line) is cell.request_id
    if cell.request_id:
        assert error_line.split("request id ")[1].rstrip(")")
    hint = next(line for line in stderr.splitlines() if line.startswith("hint: "))
    assert cell.words in stderr
    assert hint
    reasoning, answer = cell.kept
    assert result.stdout.decode() == answer
    assert stderr.startswith(reasoning)
    assert cell.key not in stderr + result.stdout.decode()


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("cell", CELLS, ids=[cell.name for cell in CELLS])
async def test_tui_survives(simulator, tmp_path: Path, transport: str, cell: Cell) -> None:
    _prepare(simulator, cell)
    endpoint = f"http://127.0.0.1:{_free_port()}" if cell.refused else None
    app = make_app(
        simulator,
        tmp_path,
        endpoint=endpoint,
        key=cell.key,
        read_timeout=1.0,
        transport=transport,
        model=cell.model,
        thinking="on",
    )
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hello")
        turn = app.chat_screen.session.conversation.turns[0]
        assert turn.status is TurnStatus.FAILED
        assert turn.error is not None
        assert cell.codes is not None
        text = screen_text(app)
        assert cell.codes[TRANSPORTS.index(transport)] in text
        assert cell.words in text
        assert (turn.error.request_id is not None) is cell.request_id
        if turn.error.request_id:
            assert turn.error.request_id in text
        assert (turn.reasoning, turn.answer) == cell.kept
        if cell.kept[1]:
            assert cell.kept[1] in text
        assert "Traceback" not in text
        assert cell.key not in text

        # The app goes on: once the fault is out of the way, the next prompt is answered.
        app.chat_screen.config = make_config(simulator, tmp_path, transport=transport)
        app.chat_screen.session.forget_endpoints()
        app.chat_screen.session.settings = app.chat_screen.session.settings.with_changes(
            model="qwen3-8b"
        )
        app.chat_screen.prompt_input.insert("again")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.chat_screen.session.conversation.turns[-1].status is TurnStatus.DONE

    # What arrived before the fault is in the history, with the error.
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        stored = store.load_conversation(app.chat_screen.session.conversation.id)
    failed = stored.conversation.turns[0]
    assert failed.status is TurnStatus.FAILED
    assert (failed.reasoning, failed.answer) == cell.kept
    assert failed.error is not None
    assert failed.error.code == turn.error.code
