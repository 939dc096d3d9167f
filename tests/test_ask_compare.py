"""`thinkchat ask --compare`, run as a real process against the simulator."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from tests.process import thinkchat
from thinkchat.simulator import DEFAULT_KEY, Fault, RequestMatch, Script

TRANSPORTS = ["openai", "dashscope"]
THINKING = RequestMatch(enable_thinking=True)
PLAIN = RequestMatch(enable_thinking=False)


@pytest.fixture(autouse=True)
def _no_retries() -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "thinkchat" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[network]\nretries = 0\n", encoding="utf-8")


def ask(simulator, *args: str, **options) -> subprocess.CompletedProcess:
    return thinkchat("ask", "--endpoint", simulator.url, *args, **options)


def slow_and_fast(simulator) -> None:
    """The thinking variant answers slowly, the other at once: the second ends first."""
    simulator.state.enqueue(
        Script(reasoning="let me think it over", answer="Slow but sure.", delay=0.05),
        when=THINKING,
    )
    simulator.state.enqueue(Script(answer="Quick."), when=PLAIN)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_each_answer_is_printed_whole_under_its_header_in_order(simulator, transport):
    slow_and_fast(simulator)
    result = ask(simulator, "--transport", transport, "--compare", "think,no-think", "review this")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == (
        f"=== variant 1 of 2: think (qwen-plus, thinking, {transport}, singapore) ===\n"
        "Slow but sure.\n"
        "\n"
        f"=== variant 2 of 2: no-think (qwen-plus, no thinking, {transport}, singapore) ===\n"
        "Quick.\n"
    )
    stderr = result.stderr.decode()
    assert stderr.startswith("let me think it over\n")
    table = stderr[stderr.index("comparison:") :].splitlines()
    assert table[1].split() == ["variant", "1", "think", "2", "no-think"]
    rows = {line[:18].strip(): line[18:].split() for line in table[2:-1]}
    # The second variant answered sooner, with fewer tokens and no reasoning: marked better.
    assert rows["whole answer"][-1].endswith("*") and not rows["whole answer"][1].endswith("*")
    thinking_out, plain_out = rows["output tokens"]
    assert plain_out.endswith("*") and int(plain_out[:-1]) < int(thinking_out)
    assert rows["reasoning tokens"][1] == "0*" and int(rows["reasoning tokens"][0]) > 0
    # The same prompt, the same input: neither is better.
    assert rows["input tokens"][0] == rows["input tokens"][1] and "*" not in rows["input tokens"][0]
    assert rows["ended"] == ["done", "done"]
    assert table[-1] == "* better: lower times, tokens and cost; more cached tokens"
    assert len(simulator.state.requests) == 2


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_json_events_are_tagged_with_their_variant_and_grouped_in_order(simulator, transport):
    slow_and_fast(simulator)
    result = ask(simulator, "--transport", transport, "--json", "--compare", "think,no-think", "hi")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [event["variant"] for event in events] == sorted(event["variant"] for event in events)
    opening = [event for event in events if event["type"] == "variant"]
    assert [(e["variant"], e["label"]) for e in opening] == [(0, "think"), (1, "no-think")]
    assert opening[0]["settings"]["enable_thinking"] is True
    assert opening[1]["settings"]["enable_thinking"] is False
    assert opening[1]["settings"]["transport"] == transport
    for variant, (reasoning, answer) in enumerate(
        [("let me think it over", "Slow but sure."), ("", "Quick.")]
    ):
        mine = [event for event in events if event["variant"] == variant]
        assert mine[0]["type"] == "variant" and mine[-1] == {
            "type": "finish",
            "variant": variant,
            "reason": "stop",
        }
        texts = {
            kind: "".join(e["text"] for e in mine if e["type"] == kind)
            for kind in ("reasoning", "answer")
        }
        assert texts == {"reasoning": reasoning, "answer": answer}
        (usage,) = [e for e in mine if e["type"] == "usage"]
        assert list(usage)[:2] == ["type", "variant"]
    assert "comparison:" in result.stderr.decode()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_one_variant_failing_exits_1_and_the_others_are_printed_whole(simulator, transport):
    simulator.state.enqueue(Script(fault=Fault("rate_limit", retry_after=3)), when=THINKING)
    simulator.state.enqueue(Script(answer="Still here.", delay=0.02), when=PLAIN)
    result = ask(simulator, "--transport", transport, "--compare", "think,no-think", "hi")
    assert result.returncode == 1
    assert result.stdout.decode().endswith("===\nStill here.\n")
    stderr = result.stderr.decode()
    assert "thinkchat: error: 429" in stderr
    assert "hint: Rate limited: wait 3 s, then run the command again." in stderr
    ended = next(line for line in stderr.splitlines() if line.startswith("ended"))
    assert ended.split()[1:3] == [
        "failed",
        "(Throttling.RateQuota)" if transport == "dashscope" else "(limit_requests)",
    ]


def test_bad_variants_exit_2_before_anything_is_sent(simulator):
    result = ask(simulator, "--compare", "think,budget=0", "hi")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == (
        "thinkchat: error: --compare think,budget=0: budget=0: the thinking budget must be at "
        "least 1 token, not 0"
    )
    result = ask(simulator, "--compare", "think,model=kimi-k2-thinking", "hi")
    assert result.returncode == 2
    assert "variant 2 (model=kimi-k2-thinking): kimi-k2-thinking is served in Beijing only" in (
        result.stderr.decode()
    )
    assert simulator.state.requests == []


def read_until(stream: IO[bytes], needle: bytes, limit: float = 30.0) -> bytes:
    """What `stream` gives until `needle` appears in it."""
    seen = b""
    deadline = time.monotonic() + limit
    while needle not in seen:
        ready, _, _ = select.select([stream], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            raise TimeoutError(f"{needle!r} never came; got {seen!r}")
        chunk = os.read(stream.fileno(), 4096)
        if not chunk:
            raise EOFError(f"{needle!r} never came; got {seen!r}")
        seen += chunk
    return seen


def test_interrupted_keeps_what_each_variant_had_in_order(simulator):
    simulator.state.enqueue(Script(answer="A quick one."), when=PLAIN)
    simulator.state.enqueue(
        Script(reasoning="hmm", answer="second part, then nothing", fault=Fault("stall", after=2)),
        when=THINKING,
    )
    environment = {**os.environ, "DASHSCOPE_API_KEY": DEFAULT_KEY}
    command = ["ask", "--endpoint", simulator.url, "--compare", "no-think,think", "hi"]
    child = subprocess.Popen(
        [sys.executable, "-m", "thinkchat", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    try:
        # The first variant ended; the second is printed as it comes, and has stalled.
        shown = read_until(child.stdout, b"second part,")
        child.send_signal(signal.SIGINT)
        rest, stderr = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130
    text = (shown + rest).decode()
    assert text.index("A quick one.") < text.index("variant 2 of 2") < text.index("second part")
    assert stderr.decode().endswith(
        "thinkchat: interrupted; the output above is what had arrived\n"
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_the_table_compares_the_cost_where_a_price_is_known(simulator, transport):
    simulator.state.enqueue(
        Script(reasoning="a long think " * 30, answer="Costly.", delay=0.01), when=THINKING
    )
    simulator.state.enqueue(Script(answer="Cheap."), when=PLAIN)
    result = ask(
        simulator,
        *("--transport", transport, "--model", "deepseek-v3.1", "--region", "beijing"),
        *("--compare", "think,no-think", "--json", "hi"),
    )
    assert result.returncode == 0, result.stderr
    usages = [
        json.loads(line)
        for line in result.stdout.decode().splitlines()
        if json.loads(line)["type"] == "usage"
    ]
    assert [(u["variant"], u["currency"]) for u in usages] == [(0, "USD"), (1, "USD")]
    assert usages[1]["cost"] < usages[0]["cost"]
    cost = next(line for line in result.stderr.decode().splitlines() if line.startswith("cost"))
    thinking, plain = cost.split()[1:]
    assert thinking.startswith("$") and not thinking.endswith("*")
    assert plain.startswith("$") and plain.endswith("*")  # the cheaper one, marked
