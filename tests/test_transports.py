"""Both transports, with their real SDKs, over HTTP to the simulator."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

import pytest

from tests.streams import collect, error_of, request, texts
from thinkchat.chat.api_key import ApiKey
from thinkchat.chat.errors import ErrorKind
from thinkchat.chat.events import AnswerDelta, Finished, ReasoningDelta, StreamError, Usage
from thinkchat.chat.request import Endpoint, Timeouts
from thinkchat.chat.transport_registry import create_transport
from thinkchat.simulator import Fault, Script

TRANSPORTS = ["openai", "dashscope"]


@pytest.mark.parametrize("per_event", [1, 3])
async def test_both_transports_yield_the_same_events(simulator, endpoint, per_event):
    script = Script(
        reasoning="Let me think <b>hard</b>.", answer="It is **42**.\n", tokens_per_event=per_event
    )
    simulator.state.enqueue(script, script)
    openai_events = await collect("openai", endpoint, request())
    dashscope_events = await collect("dashscope", endpoint, request())
    assert openai_events == dashscope_events
    assert texts(openai_events) == ("Let me think <b>hard</b>.", "It is **42**.\n")
    assert openai_events[-2:] == [
        Usage(input_tokens=1, output_tokens=8, reasoning_tokens=4, cached_tokens=0),
        Finished("stop"),
    ]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_events_come_in_the_engine_order(simulator, endpoint, transport):
    events = await collect(transport, endpoint, request())
    kinds = [type(e).__name__ for e in events]
    first_answer = kinds.index("AnswerDelta")
    assert set(kinds[:first_answer]) == {"ReasoningDelta"}
    assert set(kinds[first_answer:-2]) == {"AnswerDelta"}
    assert kinds[-2:] == ["Usage", "Finished"]


@pytest.mark.parametrize("field", ["reasoning", "think_tags", "think_close_only"])
async def test_openai_transport_reads_every_reasoning_style(simulator, endpoint, field):
    reference = Script(reasoning="Step one. Step two.", answer="Done <think> stays.")
    simulator.state.enqueue(reference, Script(**{**reference.__dict__, "reasoning_field": field}))
    expected = texts(await collect("openai", endpoint, request()))
    assert texts(await collect("openai", endpoint, request())) == expected


async def test_inline_tags_without_expected_reasoning_still_split_an_opening_tag(
    simulator, endpoint
):
    simulator.state.enqueue(Script(reasoning="hmm", answer="yes", reasoning_field="think_tags"))
    events = await collect("openai", endpoint, request(expect_reasoning=False))
    assert texts(events) == ("hmm", "yes")


async def test_dashscope_cumulative_output_becomes_deltas(simulator, endpoint):
    script = Script(reasoning="a b c d", answer="one two three")
    simulator.state.enqueue(script, script)
    incremental = await collect("dashscope", endpoint, request())
    cumulative = await collect("dashscope", endpoint, request(), _incremental=False)
    assert simulator.state.requests[-1].body["parameters"]["incremental_output"] is False
    assert cumulative == incremental


async def test_openai_request_on_the_wire(simulator, endpoint):
    await collect("openai", endpoint, request(thinking_budget=50))
    recorded = simulator.state.requests[-1]
    assert recorded.path == "/compatible-mode/v1/chat/completions"
    assert recorded.headers["Authorization"] == "Bearer sk-simulator-0000"
    body = recorded.body
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["enable_thinking"] is True and body["thinking_budget"] == 50
    assert body["messages"] == [{"role": "user", "content": "hello"}]


async def test_dashscope_request_on_the_wire(simulator, endpoint):
    await collect("dashscope", endpoint, request(enable_thinking=False))
    recorded = simulator.state.requests[-1]
    assert recorded.path == "/api/v1/services/aigc/text-generation/generation"
    assert recorded.headers["X-DashScope-SSE"] == "enable"
    assert recorded.headers["Authorization"] == "Bearer sk-simulator-0000"
    assert recorded.body["input"] == {"messages": [{"role": "user", "content": "hello"}]}
    parameters = recorded.body["parameters"]
    assert parameters["result_format"] == "message"
    assert parameters["incremental_output"] is True
    assert parameters["enable_thinking"] is False
    assert "thinking_budget" not in parameters


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_parameters_left_unset_are_not_sent(simulator, endpoint, transport):
    await collect(transport, endpoint, request(model="qwq-plus", enable_thinking=None))
    body = simulator.state.requests[-1].body
    sent = body if transport == "openai" else body["parameters"]
    assert "enable_thinking" not in sent and "thinking_budget" not in sent


HTTP_CASES = [
    # fault, status, kind, openai code, dashscope code
    ("auth", 401, ErrorKind.AUTH, "invalid_api_key", "InvalidApiKey"),
    ("forbidden", 403, ErrorKind.PERMISSION, "access_denied", "AccessDenied"),
    ("not_found", 404, ErrorKind.NOT_FOUND, "model_not_found", "ModelNotFound"),
    ("invalid", 400, ErrorKind.BAD_REQUEST, "invalid_parameter_error", "InvalidParameter"),
    ("inspection", 400, ErrorKind.CONTENT_FILTER, "data_inspection_failed", "DataInspectionFailed"),
    ("arrears", 400, ErrorKind.ARREARS, "Arrearage", "Arrearage"),
    ("rate_limit", 429, ErrorKind.RATE_LIMIT, "limit_requests", "Throttling.RateQuota"),
    ("server", 500, ErrorKind.SERVER, "internal_error", "InternalError"),
    ("bad_gateway", 502, ErrorKind.SERVER, "bad_gateway", "BadGateway"),
    ("unavailable", 503, ErrorKind.SERVER, "model_unavailable", "ModelUnavailable"),
]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(("fault", "status", "kind", "openai_code", "dashscope_code"), HTTP_CASES)
async def test_http_errors_map_to_one_error_type(
    simulator, endpoint, transport, fault, status, kind, openai_code, dashscope_code
):
    simulator.state.enqueue(
        Script(fault=Fault(fault, retry_after=7 if fault == "rate_limit" else None))
    )
    events = await collect(transport, endpoint, request())
    assert len(events) == 1
    error = error_of(events)
    assert error.status == status
    assert error.kind is kind
    assert error.code == (openai_code if transport == "openai" else dashscope_code)
    assert error.message
    assert error.request_id and len(error.request_id) == 36
    assert error.retryable is (kind in (ErrorKind.RATE_LIMIT, ErrorKind.SERVER))
    assert error.retry_after == (7.0 if fault == "rate_limit" else None)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("phase", ["reasoning", "answer"])
@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        ("drop", ErrorKind.INTERRUPTED),
        ("malformed", ErrorKind.MALFORMED),
        ("stream_error", ErrorKind.CONTENT_FILTER),
        ("no_finish", ErrorKind.INTERRUPTED),
    ],
)
async def test_mid_stream_faults_keep_what_arrived(
    simulator, endpoint, transport, phase, fault, kind
):
    script = Script(
        reasoning="r1 r2 r3 r4 r5 r6",
        answer="a1 a2 a3 a4 a5 a6",
        fault=Fault(fault, phase=phase, after=3),
    )
    simulator.state.enqueue(script)
    events = await collect(transport, endpoint, request())
    error = error_of(events)
    assert error.kind is kind
    reasoning, answer = texts(events)
    if fault == "no_finish":
        assert (reasoning, answer) == ("r1 r2 r3 r4 r5 r6", "a1 a2 a3 a4 a5 a6")
    elif phase == "reasoning":
        assert (reasoning, answer) == ("r1 r2 r3", "")
    else:
        assert (reasoning, answer) == ("r1 r2 r3 r4 r5 r6", "a1 a2 a3")
    if fault == "stream_error":
        assert error.code in ("DataInspectionFailed", "data_inspection_failed")
        assert error.request_id


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_an_empty_stream_is_an_error(simulator, endpoint, transport):
    simulator.state.enqueue(Script(fault=Fault("empty")))
    events = await collect(transport, endpoint, request())
    assert events == [StreamError(error_of(events))]
    assert error_of(events).kind is ErrorKind.INTERRUPTED


async def test_a_missing_done_after_the_finish_loses_nothing(simulator, endpoint):
    simulator.state.enqueue(Script(reasoning="r", answer="a", fault=Fault("no_done")))
    events = await collect("openai", endpoint, request())
    assert texts(events) == ("r", "a")
    assert events[-1] == Finished("stop")


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_stalled_stream_ends_in_a_timeout(simulator, transport):
    endpoint = Endpoint(simulator.url, ApiKey("sk-simulator-0000"), "singapore", Timeouts(5, 0.5))
    simulator.state.enqueue(
        Script(
            reasoning="r1 r2 r3 r4", answer="a", fault=Fault("stall", phase="reasoning", after=2)
        )
    )
    events = await collect(transport, endpoint, request())
    assert error_of(events).kind is ErrorKind.TIMEOUT
    assert texts(events) == ("r1 r2", "")
    simulator.state.wait_for(lambda requests: requests[-1].outcome == "client_disconnected")


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_connection_refused(transport):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = Endpoint(f"http://127.0.0.1:{port}", ApiKey("sk-x"), "singapore", Timeouts(2, 2))
    error = error_of(await collect(transport, endpoint, request()))
    assert error.kind is ErrorKind.CONNECTION
    assert error.retryable
    assert str(port) in error.message


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_cancelling_the_consumer_closes_the_http_stream(simulator, endpoint, transport):
    simulator.state.enqueue(Script(reasoning_tokens=500, delay=0.02))
    chat = create_transport(transport, endpoint)
    first_event = asyncio.Event()

    async def consume() -> None:
        async for event in chat.stream(request()):
            if isinstance(event, ReasoningDelta):
                first_event.set()

    task = asyncio.create_task(consume())
    await first_event.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.to_thread(
        simulator.state.wait_for, lambda requests: requests[-1].outcome == "client_disconnected"
    )
    await chat.aclose()


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_the_key_is_never_in_an_error(simulator, transport):
    secret = "sk-very-secret-value-1234"
    endpoint = Endpoint(simulator.url, ApiKey(secret), "singapore")
    error = error_of(await collect(transport, endpoint, request()))
    assert error.kind is ErrorKind.AUTH
    assert secret not in repr(error) and secret not in str(error)
    assert secret not in repr(endpoint)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_long_streams_arrive_whole(simulator, endpoint, transport):
    simulator.state.enqueue(Script(reasoning_tokens=3000, answer_tokens=3000))
    events = await collect(transport, endpoint, request())
    assert len([e for e in events if isinstance(e, ReasoningDelta)]) == 3000
    assert len([e for e in events if isinstance(e, AnswerDelta)]) == 3000
    assert events[-2] == Usage(
        input_tokens=1, output_tokens=6000, reasoning_tokens=3000, cached_tokens=0
    )


@pytest.mark.parametrize(("transport", "sdk"), [("openai", "openai"), ("dashscope", "dashscope")])
def test_preload_imports_the_transport_and_its_sdk(transport, sdk):
    # In a fresh interpreter: this one has imported both SDKs long ago.
    code = (
        "import sys; from thinkchat.chat.transport_registry import preload; "
        f"assert {sdk!r} not in sys.modules; preload({transport!r}); "
        f"print({sdk!r} in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_ask_imports_the_sdk_on_a_thread_while_it_reads_the_prompt(tmp_path):
    # `thinkchat ask` starts the SDK's import before anything else waits (the prompt on
    # standard input, the key command): the prompt is still being read when it is done.
    code = (
        "import sys, threading\n"
        "from thinkchat.cli.main import main\n"
        "class Stdin:\n"
        "    def isatty(self): return False\n"
        "    class buffer:\n"
        "        @staticmethod\n"
        "        def read():\n"
        "            for thread in threading.enumerate():\n"
        "                if thread.name.startswith('import '): thread.join()\n"
        "            print('openai' in sys.modules, file=sys.stderr)\n"
        "            raise SystemExit(0)\n"
        "sys.stdin = Stdin()\n"
        "main(['ask', '--endpoint', 'http://127.0.0.1:9', 'hello'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DASHSCOPE_API_KEY": "sk-test", "XDG_CONFIG_HOME": str(tmp_path)},
    )
    assert result.stderr.strip() == "True", result.stderr
