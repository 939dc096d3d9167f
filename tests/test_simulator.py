"""The simulator speaks both protocols byte for byte as the guide shows them."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import aiohttp
import pytest

from tests import guide
from thinkchat.simulator import DEFAULT_KEY, Fault, RequestMatch, Script, Simulator
from thinkchat.simulator.models import served_model
from thinkchat.simulator.script import script_from_prompt

AUTH = {"Authorization": f"Bearer {DEFAULT_KEY}"}


async def post(url: str, body: dict, headers: dict | None = None) -> tuple[int, dict, bytes]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers={**AUTH, **(headers or {})}) as response,
    ):
        headers = {name.lower(): value for name, value in response.headers.items()}
        return response.status, headers, await response.read()


def compatible(simulator: Simulator, **body) -> tuple[str, dict]:
    url = simulator.url + "/compatible-mode/v1/chat/completions"
    payload = {
        "model": "qwen-plus",
        "messages": [{"role": "user", "content": "Who are you"}],
        "stream": True,
        "stream_options": {"include_usage": True},
        **body,
    }
    return url, payload


def native(simulator: Simulator, parameters: dict | None = None, **body) -> tuple[str, dict]:
    url = simulator.url + "/api/v1/services/aigc/text-generation/generation"
    payload = {
        "model": "qwen-plus",
        "input": {"messages": [{"role": "user", "content": "Who are you?"}]},
        "parameters": {
            "result_format": "message",
            "incremental_output": True,
            **(parameters or {}),
        },
        **body,
    }
    return url, payload


SSE = {"X-DashScope-SSE": "enable"}


def data_lines(raw: bytes) -> list[str]:
    return [
        line[len("data: ") :] for line in raw.decode().split("\n\n") if line.startswith("data: ")
    ]


async def test_compatible_stream_framing(simulator):
    simulator.state.enqueue(Script(reasoning="Hmm, ok", answer="Hi!"))
    status, headers, raw = await post(*compatible(simulator, enable_thinking=True))
    assert status == 200
    assert headers["content-type"].startswith("text/event-stream")
    assert raw.endswith(b"data: [DONE]\n\n")
    events = raw.decode().split("\n\n")
    assert all(event.startswith("data: ") for event in events if event)
    chunks = [json.loads(line) for line in data_lines(raw)[:-1]]
    first = chunks[0]["choices"][0]
    assert first["delta"] == {"content": None, "role": "assistant", "reasoning_content": ""}
    assert first["finish_reason"] is None
    assert chunks[0]["object"] == "chat.completion.chunk"
    reasoning = [c["choices"][0]["delta"]["reasoning_content"] for c in chunks[1:3]]
    assert reasoning == ["Hmm,", " ok"]
    assert chunks[1]["choices"][0]["delta"]["content"] is None
    finish = chunks[-2]["choices"][0]
    assert finish["finish_reason"] == "stop"
    assert finish["delta"] == {"content": "", "reasoning_content": None}
    usage_chunk = chunks[-1]
    assert usage_chunk["choices"] == []
    assert usage_chunk["usage"] == {
        "prompt_tokens": 3,
        "completion_tokens": 3,
        "total_tokens": 6,
        "completion_tokens_details": {"reasoning_tokens": 2},
        "prompt_tokens_details": {"cached_tokens": 0},
    }
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["id"] == "chatcmpl-" + headers["x-request-id"]


def deltas(raw: bytes) -> list[dict]:
    return [
        choice["delta"] for line in data_lines(raw)[:-1] for choice in json.loads(line)["choices"]
    ]


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
@pytest.mark.parametrize("steer", ["script", "directive"])
async def test_a_thinking_mode_answer_without_reasoning_carries_the_field_as_the_guide_shows(
    simulator, field, steer
):
    prompt = "Who are you"
    if steer == "script":
        simulator.state.enqueue(Script(reasoning="", answer="I am Qwen.", reasoning_field=field))
    else:
        simulator.state.enqueue(Script(answer="I am Qwen.", reasoning_field=field))
        prompt = "#sim reasoning=0\nWho are you"
    messages = [{"role": "user", "content": prompt}]
    _, _, raw = await post(*compatible(simulator, enable_thinking=True, messages=messages))
    first, *answer, finish = deltas(raw)
    # The guide's first and last chunks, exactly; between them every delta carries the field.
    assert first == {"content": None, "role": "assistant", field: ""}
    assert answer == [{"content": word, field: None} for word in ("I", " am", " Qwen.")]
    assert finish == {"content": "", field: None}
    assert json.loads(data_lines(raw)[-2])["usage"]["completion_tokens_details"] == {
        "reasoning_tokens": 0
    }


async def test_with_thinking_off_no_delta_carries_a_reasoning_field(simulator):
    _, _, raw = await post(*compatible(simulator, enable_thinking=False))
    assert all(set(delta) <= {"content", "role"} for delta in deltas(raw))


@pytest.mark.parametrize("model", guide.guide_models(), ids=str)
def test_the_simulators_own_table_agrees_with_the_guide(model):
    served = served_model(model.name)
    assert served is not None, model.words
    assert served.mode == model.mode, model.words
    assert served.budget is model.budget, guide.BUDGET_WORDS
    assert served.soft_switch is model.soft_switch, guide.SOFT_SWITCH_WORDS
    assert served.beijing_only is (model.regions == ("beijing",)), model.words


@pytest.mark.parametrize("name", ["qwen-plus-2025-01-25", "deepseek-v3", "qwen3-max-2025-09-23"])
def test_names_the_guide_does_not_cover_are_not_found(name):
    assert served_model(name) is None


def test_the_simulator_never_imports_the_catalog():
    package = Path(__file__).parent.parent / "thinkchat" / "simulator"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("thinkchat.catalog"), source.name
            elif isinstance(node, ast.Import):
                assert all(not a.name.startswith("thinkchat.catalog") for a in node.names)


async def test_compatible_usage_only_when_asked(simulator):
    url, body = compatible(simulator)
    body.pop("stream_options")
    _, _, raw = await post(url, body)
    assert all(json.loads(line)["choices"] for line in data_lines(raw)[:-1])


async def test_native_stream_framing_and_cumulative_usage(simulator):
    simulator.state.enqueue(Script(reasoning="Hmm , the user", answer="Hello there"))
    status, headers, raw = await post(*native(simulator, {"enable_thinking": True}), SSE)
    assert status == 200
    events = [e for e in raw.decode().split("\n\n") if e]
    assert b"[DONE]" not in raw
    for number, event in enumerate(events, start=1):
        lines = event.split("\n")
        assert lines[:3] == [f"id:{number}", "event:result", ":HTTP_STATUS/200"]
        assert lines[3].startswith("data:{")
    payloads = [json.loads(e.split("\n")[3][len("data:") :]) for e in events]
    messages = [p["output"]["choices"][0]["message"] for p in payloads]
    assert [m["reasoning_content"] for m in messages[:3]] == ["Hmm", " ,", " the"]
    assert all(m["role"] == "assistant" for m in messages)
    finishes = [p["output"]["choices"][0]["finish_reason"] for p in payloads]
    assert finishes == ["null"] * (len(payloads) - 1) + ["stop"]
    outputs = [p["usage"]["output_tokens"] for p in payloads]
    assert outputs == sorted(outputs) and outputs[-1] == 6
    assert payloads[-1]["usage"]["output_tokens_details"] == {"reasoning_tokens": 4}
    assert payloads[-1]["usage"]["input_tokens"] == 3
    assert {p["request_id"] for p in payloads} == {headers["x-request-id"]}


async def test_native_without_incremental_output_repeats_the_text(simulator):
    simulator.state.enqueue(Script(reasoning="a b", answer="c d"))
    url, body = native(simulator, {"enable_thinking": True})
    body["parameters"]["incremental_output"] = False
    _, _, raw = await post(url, body, SSE)
    messages = [
        json.loads(e.split("\n")[3][5:])["output"]["choices"][0]["message"]
        for e in raw.decode().split("\n\n")
        if e
    ]
    assert [m["reasoning_content"] for m in messages] == ["a", "a b", "a b", "a b", "a b"]
    assert [m["content"] for m in messages] == ["", "", "c", "c d", "c d"]


@pytest.mark.parametrize("protocol", ["compatible", "native"])
async def test_thinking_only_models_reject_enable_thinking_false(simulator, protocol):
    if protocol == "compatible":
        status, _, raw = await post(*compatible(simulator, model="qwq-plus", enable_thinking=False))
        assert json.loads(raw)["error"]["code"] == "invalid_parameter_error"
    else:
        url, body = native(simulator, {"enable_thinking": False}, model="qwq-plus")
        status, _, raw = await post(url, body, SSE)
        assert json.loads(raw)["code"] == "InvalidParameter"
    assert status == 400
    assert "enable_thinking" in raw.decode()


async def reasoning_of(simulator, **body) -> str:
    _, _, raw = await post(*compatible(simulator, **body))
    parts = []
    for line in data_lines(raw)[:-1]:
        for choice in json.loads(line)["choices"]:
            parts.append(choice["delta"].get("reasoning_content") or "")
    return "".join(parts)


async def test_hybrid_models_follow_enable_thinking_and_their_default(simulator):
    assert await reasoning_of(simulator, model="qwen-plus", enable_thinking=True)
    assert not await reasoning_of(simulator, model="qwen-plus", enable_thinking=False)
    assert not await reasoning_of(simulator, model="qwen-plus")  # off by default
    assert await reasoning_of(simulator, model="qwen3-8b")  # on by default
    assert await reasoning_of(simulator, model="qwq-plus")  # always


async def test_soft_switches_where_the_guide_says(simulator):
    history = [
        {"role": "user", "content": "first /no_think"},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "second"},
    ]
    assert not await reasoning_of(simulator, model="qwen3-8b", messages=history)
    history[-1]["content"] = "second /think"
    assert await reasoning_of(simulator, model="qwen3-8b", messages=history)
    no_think = [{"role": "user", "content": "hi /no_think"}]
    assert not await reasoning_of(
        simulator, model="qwen-plus-2025-04-28", enable_thinking=True, messages=no_think
    )
    assert await reasoning_of(simulator, model="qwen-plus", enable_thinking=True, messages=no_think)


async def test_thinking_budget_cuts_the_reasoning(simulator):
    simulator.state.enqueue(Script(reasoning_tokens=300))
    reasoning = await reasoning_of(simulator, enable_thinking=True, thinking_budget=40)
    assert len(re.findall(r"\s*\S+", reasoning)) == 40


@pytest.mark.parametrize(
    ("headers", "body_change", "status", "code"),
    [
        ({"Authorization": "Bearer wrong"}, {}, 401, "invalid_api_key"),
        ({"Authorization": "Basic x"}, {}, 401, "invalid_api_key"),
        ({}, {"model": "no-such-model"}, 404, "model_not_found"),
        ({}, {"thinking_budget": 0}, 400, "invalid_parameter_error"),
        ({}, {"enable_thinking": "yes"}, 400, "invalid_parameter_error"),
        ({}, {"stream": False, "enable_thinking": True}, 400, "invalid_parameter_error"),
        ({}, {"messages": []}, 400, "invalid_parameter_error"),
    ],
)
async def test_service_errors(simulator, headers, body_change, status, code):
    url, body = compatible(simulator, **body_change)
    got_status, got_headers, raw = await post(url, body, headers)
    error = json.loads(raw)
    assert got_status == status
    assert error["error"]["code"] == code
    assert error["request_id"] == got_headers["x-request-id"]


async def test_reasoning_sent_back_is_refused(simulator):
    messages = [
        {"role": "user", "content": "a"},
        {"role": "assistant", "content": "b", "reasoning_content": "secret thoughts"},
        {"role": "user", "content": "c"},
    ]
    status, _, _ = await post(*compatible(simulator, messages=messages))
    assert status == 400


async def test_non_streaming_answers_without_thinking(simulator):
    status, _, raw = await post(*compatible(simulator, stream=False, enable_thinking=False))
    assert status == 200
    assert json.loads(raw)["choices"][0]["message"]["content"].startswith("## Answer")


async def test_region_restriction():
    with Simulator(region="singapore") as regional:
        status, _, raw = await post(*compatible(regional, model="deepseek-r1"))
    assert status == 404
    assert "not served in singapore" in json.loads(raw)["error"]["message"]


async def test_rate_limit_sends_retry_after(simulator):
    simulator.state.enqueue(Script(fault=Fault("rate_limit", retry_after=2)))
    status, headers, raw = await post(*native(simulator), SSE)
    assert status == 429
    assert headers["retry-after"] == "2"
    assert json.loads(raw)["code"] == "Throttling.RateQuota"


async def test_a_script_can_be_meant_for_the_requests_it_matches(simulator):
    # Requests in flight at once (a comparison's variants) arrive in any order.
    simulator.state.enqueue(Script(fault=Fault("rate_limit")), when=RequestMatch(model="qwq-plus"))
    simulator.state.enqueue(Script(fault=Fault("server")))
    status, _, _ = await post(*compatible(simulator, enable_thinking=True))
    assert status == 500  # not for qwq-plus: the next script for any request
    status, _, _ = await post(*compatible(simulator, model="qwq-plus"))
    assert status == 429
    status, _, _ = await post(*compatible(simulator, model="qwq-plus"))
    assert status == 200  # used once, as a queued script is


async def test_native_mid_stream_error_event(simulator):
    simulator.state.enqueue(
        Script(reasoning="a b c", fault=Fault("stream_error", phase="reasoning", after=1))
    )
    _, _, raw = await post(*native(simulator, {"enable_thinking": True}), SSE)
    last = raw.decode().strip().split("\n\n")[-1].split("\n")
    assert last[1:3] == ["event:error", ":HTTP_STATUS/400"]
    assert json.loads(last[3][5:])["code"] == "DataInspectionFailed"


async def test_requests_are_recorded_and_listed(simulator):
    await post(*compatible(simulator, enable_thinking=True, thinking_budget=10))
    recorded = simulator.state.requests[-1]
    assert recorded.body["thinking_budget"] == 10
    assert recorded.outcome == "completed"
    async with (
        aiohttp.ClientSession() as session,
        session.get(simulator.url + "/_sim/requests") as r,
    ):
        listed = await r.json()
    assert listed[-1]["body"]["thinking_budget"] == 10


async def test_scripts_can_be_queued_over_http(simulator):
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            simulator.url + "/_sim/scripts", json=[{"answer": "queued!", "fault": None}]
        ) as response,
    ):
        assert response.status == 200
    _, _, raw = await post(*compatible(simulator, enable_thinking=False))
    assert "queued!" in raw.decode()


def test_prompt_directives():
    base = Script()
    script = script_from_prompt(
        "hello\n#sim reasoning=500 delay=0.01 fault=drop at=reasoning after=7", base
    )
    assert script.reasoning_tokens == 500 and script.delay == 0.01
    assert script.fault == Fault("drop", phase="reasoning", after=7)
    assert script_from_prompt("#sim fault=nonsense", base) is base
    assert script_from_prompt("no directive here", base) is base


async def test_context_cache_counts_the_repeated_history(simulator):
    history = [
        {"role": "user", "content": "one two three"},
        {"role": "assistant", "content": "four five"},
        {"role": "user", "content": "six"},
    ]
    await post(*compatible(simulator, messages=history[:1]))
    _, _, raw = await post(*compatible(simulator, messages=history))
    usage = json.loads(data_lines(raw)[-2])["usage"]
    assert usage["prompt_tokens_details"]["cached_tokens"] == 3
    history.append({"role": "assistant", "content": "seven"})
    history.append({"role": "user", "content": "eight"})
    _, _, raw = await post(*compatible(simulator, messages=history))
    usage = json.loads(data_lines(raw)[-2])["usage"]
    assert usage["prompt_tokens_details"]["cached_tokens"] == 6
