"""`thinkchat ask`, run as a real process against the simulator."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.process import thinkchat
from thinkchat.simulator import DEFAULT_KEY, Fault, Script


@pytest.fixture(autouse=True)
def _no_retries_by_default() -> None:
    """The default config file turns retries off, so a scripted fault is the final answer."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "thinkchat" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[network]\nretries = 0\n", encoding="utf-8")


def ask(simulator, *args: str, **options) -> subprocess.CompletedProcess:
    """`thinkchat ask` pointed at the simulator."""
    return thinkchat("ask", "--endpoint", simulator.url, *args, **options)


def test_answer_on_stdout_reasoning_and_usage_on_stderr(simulator):
    simulator.state.enqueue(Script(reasoning="thinking hard", answer="The answer is 4."))
    result = ask(simulator, "--think", "what is 2+2?")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"The answer is 4."
    stderr = result.stderr.decode()
    assert stderr.startswith("thinking hard\n")
    assert "tokens: 3 in · 6 out (2 reasoning) · 0 cached" in stderr
    assert "\x1b" not in stderr  # not a terminal: no styling


def test_hide_reasoning(simulator):
    simulator.state.enqueue(Script(reasoning="secret musings", answer="ok"))
    result = ask(simulator, "--think", "--hide-reasoning", "hi")
    assert result.stdout == b"ok"
    assert b"secret musings" not in result.stderr


def test_json_events(simulator):
    simulator.state.enqueue(Script(reasoning="a b", answer="c"))
    result = ask(simulator, "--json", "--think", "hi")
    lines = result.stdout.decode().splitlines()
    events = [json.loads(line) for line in lines]
    assert lines == [json.dumps(event, ensure_ascii=False) for event in events]  # one format
    assert events == [
        {"type": "reasoning", "text": "a"},
        {"type": "reasoning", "text": " b"},
        {"type": "answer", "text": "c"},
        {
            "type": "usage",
            "input_tokens": 1,
            "output_tokens": 3,
            "reasoning_tokens": 2,
            "cached_tokens": 0,
        },
        {"type": "finish", "reason": "stop"},
    ]
    assert result.stderr == b""


def test_json_keeps_model_text_exact(simulator):
    hostile = "\x1b]0;pwned\x07[bold]red[/bold]\r\x9b31m"
    simulator.state.enqueue(Script(answer=hostile))
    result = ask(simulator, "--json", "--no-think", "hi")
    answer = "".join(
        e["text"]
        for e in map(json.loads, result.stdout.decode().splitlines())
        if e["type"] == "answer"
    )
    assert answer == hostile


def test_json_error_event_and_exit_code(simulator):
    simulator.state.enqueue(Script(fault=Fault("rate_limit", retry_after=3)))
    result = ask(simulator, "--json", "hi")
    assert result.returncode == 1
    (event,) = map(json.loads, result.stdout.decode().splitlines())
    assert event["type"] == "error"
    assert (event["status"], event["code"]) == (429, "limit_requests")
    assert event["message"] and len(event["request_id"]) == 36


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
def test_options_reach_the_wire(simulator, transport):
    result = ask(
        simulator,
        "--transport",
        transport,
        "--model",
        "qwen3-32b",
        "--think",
        "--budget",
        "64",
        "--system",
        "Answer in French.",
        "bonjour",
    )
    assert result.returncode == 0, result.stderr
    body = simulator.state.requests[-1].body
    parameters = body if transport == "openai" else body["parameters"]
    messages = body["messages"] if transport == "openai" else body["input"]["messages"]
    assert body["model"] == "qwen3-32b"
    assert (parameters["enable_thinking"], parameters["thinking_budget"]) == (True, 64)
    assert messages == [
        {"role": "system", "content": "Answer in French."},
        {"role": "user", "content": "bonjour"},
    ]


def test_thinking_off_and_thinking_only(simulator):
    ask(simulator, "--no-think", "hi")
    assert simulator.state.requests[-1].body["enable_thinking"] is False
    result = ask(simulator, "--no-think", "--model", "qwq-plus", "hi")
    assert result.returncode == 0
    assert "enable_thinking" not in simulator.state.requests[-1].body
    assert b"always thinks" in result.stderr


def test_soft_switch_note_for_models_that_ignore_it(simulator):
    result = ask(simulator, "--think", "--model", "qwen-plus", "hi /no_think")
    assert b"ignores /no_think" in result.stderr


def test_standard_input_is_added_to_the_prompt(simulator):
    result = ask(simulator, "summarise this", stdin=b"line one\nline two\n")
    assert result.returncode == 0
    messages = simulator.state.requests[-1].body["messages"]
    assert messages[-1]["content"] == "summarise this\n\nline one\nline two"


def test_standard_input_alone_is_a_prompt(simulator):
    assert ask(simulator, stdin=b"just stdin").returncode == 0
    assert simulator.state.requests[-1].body["messages"][-1]["content"] == "just stdin"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        ([], b"", "the prompt is empty"),
        (["   "], b"  \n", "the prompt is empty"),
        (["x"], b"\xff\xfe bad", "not UTF-8"),
        (["--budget", "0", "x"], b"", "at least 1 token"),
        (["--budget", "-5", "x"], b"", "at least 1 token"),
        (["--budget", "1e3", "x"], b"", "not a whole number"),
        (["--budget", "abc", "x"], b"", "not a whole number"),
        (["--region", "mars", "x"], b"", "invalid choice: 'mars'"),
        (["--transport", "grpc", "x"], b"", "invalid choice: 'grpc'"),
        (["--model", "deepseek-r1", "--region", "singapore", "x"], b"", "Beijing only"),
    ],
)
def test_bad_usage_exits_2_with_a_message(simulator, args, stdin, message):
    result = ask(simulator, *args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert simulator.state.requests == []


def test_missing_key_names_the_variable_and_the_config_file(simulator, tmp_path):
    config = tmp_path / "config.toml"
    result = ask(simulator, "--config", str(config), "hi", key=None)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "DASHSCOPE_API_KEY" in stderr and str(config) in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert simulator.state.requests == []


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("auth", "401 invalid_api_key"),
        ("rate_limit", "429 limit_requests"),
        ("unavailable", "503 model_unavailable"),
    ],
)
def test_service_failures_exit_1_with_code_message_request_id_and_hint(simulator, fault, expected):
    simulator.state.enqueue(Script(fault=Fault(fault)))
    result = ask(simulator, "hi")
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert expected in stderr
    request_id = simulator.state.requests[-1].headers and stderr.split("request id ")[1][:36]
    assert len(request_id) == 36
    assert "hint: " in stderr
    assert "Traceback" not in stderr


def test_wrong_key_is_never_printed(simulator):
    secret = "sk-this-is-my-secret-key-9876"
    result = ask(simulator, "hi", key=secret)
    assert result.returncode == 1
    assert secret.encode() not in result.stdout + result.stderr


def test_a_dropped_stream_keeps_the_answer_so_far(simulator):
    simulator.state.enqueue(
        Script(reasoning="r", answer="a1 a2 a3 a4", fault=Fault("drop", after=2))
    )
    result = ask(simulator, "--think", "hi")
    assert result.returncode == 1
    assert result.stdout == b"a1 a2"
    assert b"ConnectionDropped" in result.stderr


def test_connection_refused_exits_1():
    result = subprocess.run(
        [sys.executable, "-m", "thinkchat", "ask", "--endpoint", "http://127.0.0.1:9", "hi"],
        capture_output=True,
        env={**os.environ, "DASHSCOPE_API_KEY": "sk-x"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert b"Could not connect" in result.stderr


def test_demo_needs_no_key_and_touches_no_real_endpoint():
    environment = {k: v for k, v in os.environ.items() if k != "DASHSCOPE_API_KEY"}
    environment["THINKCHAT_ENDPOINT"] = "http://192.0.2.1:1"  # would fail if it were used
    result = subprocess.run(
        [sys.executable, "-m", "thinkchat", "ask", "--demo", "--json", "hi"],
        capture_output=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    types = [json.loads(line)["type"] for line in result.stdout.decode().splitlines()]
    assert types[-2:] == ["usage", "finish"] and "answer" in types
    assert b"DEMO" in result.stderr


def test_on_a_terminal_reasoning_is_dimmed_and_control_sequences_are_neutralised(simulator):
    simulator.state.enqueue(
        Script(
            reasoning="think \x1b[31mred",
            answer="safe \x1b]8;;http://evil\x07link\x1b]8;;\x07 \r\x07done",
        )
    )
    main, child = pty.openpty()
    environment = {**os.environ, "DASHSCOPE_API_KEY": DEFAULT_KEY}
    process = subprocess.Popen(
        [sys.executable, "-m", "thinkchat", "ask", "--endpoint", simulator.url, "--think", "hi"],
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
        env=environment,
    )
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=60) == 0
    os.close(main)
    text = output.decode()
    assert "\x1b[2mthink" in text  # dimmed reasoning
    assert "\x1b[31m" not in text and "\x1b]8" not in text and "\x07" not in text
    assert "safe link done" in text.replace("\r\n", "\n")


def test_version_and_help():
    version = subprocess.run(
        [sys.executable, "-m", "thinkchat", "--version"], capture_output=True, check=True
    )
    assert version.stdout.decode().startswith("thinkchat ")
    helped = subprocess.run(
        [sys.executable, "-m", "thinkchat", "ask", "--help"], capture_output=True, check=True
    )
    text = helped.stdout.decode()
    for option in (
        "--model",
        "--region",
        "--transport",
        "--think",
        "--budget",
        "--system",
        "--hide-reasoning",
        "--json",
        "--config",
        "--endpoint",
        "--demo",
        "exit codes",
    ):
        assert option in text


def test_config_file_settings_apply_and_flags_win(simulator, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('model = "qwen3-14b"\nthinking = "off"\nbudget = 77\n', encoding="utf-8")
    ask(simulator, "--config", str(config), "hi")
    body = simulator.state.requests[-1].body
    assert (body["model"], body["enable_thinking"]) == ("qwen3-14b", False)
    assert "thinking_budget" not in body
    ask(simulator, "--config", str(config), "--think", "hi")
    body = simulator.state.requests[-1].body
    assert (body["enable_thinking"], body["thinking_budget"]) == (True, 77)
    ask(simulator, "--config", str(config), "--think", "hi", env={"THINKCHAT_MODEL": "qwen3-8b"})
    assert simulator.state.requests[-1].body["model"] == "qwen3-8b"
    ask(
        simulator,
        "--config",
        str(config),
        "--model",
        "qwen3-4b",
        "hi",
        env={"THINKCHAT_MODEL": "qwen3-8b"},
    )
    assert simulator.state.requests[-1].body["model"] == "qwen3-4b"


def test_broken_config_exits_2_with_file_and_line(simulator, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('model = "qwen-plus"\nregion = "mars"\n', encoding="utf-8")
    result = ask(simulator, "--config", str(config), "hi")
    assert result.returncode == 2
    assert f"{config}:2: region = 'mars'" in result.stderr.decode()


def test_json_lines_carry_any_text_exactly_as_json_dumps_writes_it(simulator):
    answer = 'a "quote", a \\ backslash, a\nnew line, a\ttab, é 中文 \u2028 \x00 \x1b[31m red'
    simulator.state.enqueue(Script(reasoning="r", answer=answer))
    result = ask(simulator, "--json", "--think", "hi")
    lines = result.stdout.decode().split("\n")[:-1]
    events = [json.loads(line) for line in lines]
    assert lines == [json.dumps(event, ensure_ascii=False) for event in events]
    assert "".join(e["text"] for e in events if e["type"] == "answer") == answer


# A child that runs `thinkchat ask` through its entry point and reports, on its last line of
# stderr, how many collections ran during start-up (from the entry point's call to the freeze
# that ends it, once the SDK is imported and connected), and the collector's state once the
# answer is done.
_COLLECTIONS_CHILD = """
import gc, json, sys
during_start_up = []

def on_collection(phase, info):
    if phase == "start" and not gc.get_freeze_count():
        during_start_up.append(info["generation"])

from thinkchat.cli.entry import main
gc.collect()  # what the child did so far sets off no pass below
gc.callbacks.append(on_collection)
code = main(sys.argv[1:])
report = {"code": code, "during_start_up": during_start_up, "enabled": gc.isenabled(),
          "frozen": gc.get_freeze_count()}
print(json.dumps(report), file=sys.stderr)
"""


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
def test_no_collection_during_start_up_and_collections_resume_once_it_streams(simulator, transport):
    # Start-up allocates a few hundred thousand objects that stay: without this, the SDK's
    # import alone makes about 150 collections (see thinkchat.process.gc_pause).
    simulator.state.enqueue(Script(reasoning="a b", answer="c d"))
    environment = {**os.environ, "DASHSCOPE_API_KEY": DEFAULT_KEY}
    arguments = ["ask", "--endpoint", simulator.url, "--transport", transport, "--think", "hi"]
    child = subprocess.run(
        [sys.executable, "-c", _COLLECTIONS_CHILD, *arguments],
        capture_output=True,
        env=environment,
        timeout=60,
        check=False,
    )
    report = json.loads(child.stderr.decode().splitlines()[-1])
    assert child.stdout == b"c d"
    assert report["code"] == 0
    assert report["during_start_up"] == []
    assert report["enabled"]
    assert report["frozen"] > 10_000  # the SDK and everything before it, left out of passes


def test_files_are_added_to_the_prompt_fenced_with_their_names(simulator, tmp_path):
    first = tmp_path / "app.py"
    first.write_text("print('hi')\n", encoding="utf-8")
    second = tmp_path / "notes.md"
    second.write_text("Uses ``` fences\n", encoding="utf-8")
    result = ask(
        simulator, "--file", str(first), "--file", str(second), "review these", stdin=b"diff\n"
    )
    assert result.returncode == 0, result.stderr
    messages = simulator.state.requests[-1].body["messages"]
    assert messages[-1]["content"] == (
        "review these\n\ndiff\n\n```app.py\nprint('hi')\n```\n\n````notes.md\nUses ``` fences\n````"
    )


def test_a_file_alone_is_a_prompt(simulator, tmp_path):
    path = tmp_path / "question.txt"
    path.write_text("why?\n", encoding="utf-8")
    result = ask(simulator, "--transport", "dashscope", "--file", str(path))
    assert result.returncode == 0, result.stderr
    messages = simulator.state.requests[-1].body["input"]["messages"]
    assert messages[-1]["content"] == "```question.txt\nwhy?\n```"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"\x00\x01binary", "looks binary (it holds NUL bytes)"),
        (b"x" * (256 * 1024 + 1), "is too large (262,145 bytes; the limit is 256 KiB"),
        (None, ": no such file"),
    ],
    ids=["binary", "too large", "missing"],
)
def test_a_refused_file_is_exit_2_and_nothing_is_sent(simulator, tmp_path, content, said):
    good = tmp_path / "good.txt"
    good.write_text("fine\n", encoding="utf-8")
    bad = tmp_path / "bad.bin"
    if content is not None:
        bad.write_bytes(content)
    result = ask(simulator, "--file", str(good), "--file", str(bad), "look")
    assert result.returncode == 2
    assert result.stdout == b""
    stderr = result.stderr.decode()
    assert stderr.startswith(f"thinkchat: error: {bad}")
    assert said in stderr and stderr.count("\n") == 1
    assert simulator.state.requests == []
