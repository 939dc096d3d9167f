"""engine: what thinkchat's engine and `thinkchat ask` add to a bare loop over the SDK stream.

Per transport, a 20,000-reasoning + 20,000-answer token stream from the simulator:

- in process: `ChatSession.run` (transport, events, turn bookkeeping) against `bare.py`'s loop,
  and for information the transport alone (`Transport.stream`: the SDK's chunks turned into the
  engine's events, in order), which tells the transport's share of that figure from the session's;
- as commands: `thinkchat ask --json` and `thinkchat ask` (text; stdout and stderr to
  /dev/null) against `python -m benchmarks.bare`, so both pay interpreter start-up and SDK import;
- for context, the wire floor: the raw HTTP bytes read with httpx, no SDK (no target).
"""

from __future__ import annotations

import asyncio

from benchmarks.bare import KEY, MODEL, bare_stream, stream_prompt
from benchmarks.harness import Context, Figure, Target, interleave, seconds_to_run
from benchmarks.procs import PYTHON, child_env, run_timed, thinkchat_command

NAME = "engine"
TRANSPORTS = ("openai", "dashscope")
TARGET = Target(1.10)
# The native stream is read in about 0.6 s, the compatible one in 3.3 s: the same noise of a
# shared machine weighs five times more on the first, so its figures take more repetitions.
REPEAT_FACTOR = {"openai": 1, "dashscope": 3}


async def engine_stream(transport: str, host: str, prompt: str) -> tuple[int, int]:
    """The engine alone: a `ChatSession` turn streamed to the end; (reasoning, answer) chars."""
    from thinkchat.catalog import Thinking
    from thinkchat.chat.api_key import ApiKey
    from thinkchat.chat.request import Endpoint
    from thinkchat.chat.session import ChatSession, ChatSettings
    from thinkchat.chat.turn import TurnStatus

    session = ChatSession(
        ChatSettings(model=MODEL, thinking=Thinking.ON, transport=transport),
        lambda region: Endpoint(host, ApiKey(KEY), region),
    )
    try:
        turn = session.begin(prompt)
        async for _ in session.run(turn):
            pass
    finally:
        await session.aclose()
    if turn.status is not TurnStatus.DONE:
        raise RuntimeError(f"the engine's turn ended {turn.status.value}: {turn.error}")
    return len(turn.reasoning), len(turn.answer)


async def transport_stream(transport: str, host: str, prompt: str) -> tuple[int, int]:
    """The transport alone: `Transport.stream` read to the end; (reasoning, answer) chars."""
    from thinkchat.chat.api_key import ApiKey
    from thinkchat.chat.events import AnswerDelta, ReasoningDelta
    from thinkchat.chat.request import ChatRequest, Endpoint, Message
    from thinkchat.chat.transport_registry import create_transport

    # What `ChatSession.run` sends for this prompt with thinking on (see `engine_stream`).
    request = ChatRequest(
        model=MODEL,
        messages=(Message("user", prompt),),
        enable_thinking=True,
        expect_reasoning=True,
    )
    streamer = create_transport(transport, Endpoint(host, ApiKey(KEY), "singapore"))
    reasoning = answer = 0
    try:
        async for event in streamer.stream(request):
            if isinstance(event, ReasoningDelta):
                reasoning += len(event.text)
            elif isinstance(event, AnswerDelta):
                answer += len(event.text)
    finally:
        await streamer.aclose()
    return reasoning, answer


async def wire_read(transport: str, host: str, prompt: str) -> int:
    """The stream's raw bytes, read with httpx and not parsed: what the simulator costs."""
    import httpx

    messages = [{"role": "user", "content": prompt}]
    if transport == "openai":
        url = f"{host}/compatible-mode/v1/chat/completions"
        body: dict[str, object] = {
            "model": MODEL,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "enable_thinking": True,
        }
    else:
        url = f"{host}/api/v1/services/aigc/text-generation/generation"
        body = {
            "model": MODEL,
            "input": {"messages": messages},
            "parameters": {
                "result_format": "message",
                "incremental_output": True,
                "enable_thinking": True,
            },
        }
    headers = {"Authorization": f"Bearer {KEY}", "X-DashScope-SSE": "enable"}
    received = 0
    async with (
        httpx.AsyncClient(timeout=60) as client,
        client.stream("POST", url, json=body, headers=headers) as response,
    ):
        async for data in response.aiter_raw():
            received += len(data)
    return received


def run(ctx: Context) -> list[Figure]:
    tokens = 2000 if ctx.quick else 20000
    prompt = stream_prompt(tokens, tokens)
    host = ctx.host
    env = child_env(ctx.scratch(NAME), DASHSCOPE_API_KEY=KEY)
    figures: list[Figure] = []
    for transport in TRANSPORTS:
        ctx.simulator.reset()
        expected = asyncio.run(bare_stream(transport, host, prompt))
        read = (expected.reasoning_chars, expected.answer_chars)
        for reader in (engine_stream, transport_stream):
            got = asyncio.run(reader(transport, host, prompt))
            if got != read:
                raise RuntimeError(f"{reader.__name__} read {got}, the bare loop {read}")

        repeat = ctx.repeat * REPEAT_FACTOR[transport]
        ctx.log(f"engine/{transport}: in process")
        inproc = interleave(
            [
                ("bare", lambda t=transport: seconds_to_run(lambda: bare_stream(t, host, prompt))),
                (
                    "engine",
                    lambda t=transport: seconds_to_run(lambda: engine_stream(t, host, prompt)),
                ),
                (
                    "transport",
                    lambda t=transport: seconds_to_run(lambda: transport_stream(t, host, prompt)),
                ),
                ("wire", lambda t=transport: seconds_to_run(lambda: wire_read(t, host, prompt))),
            ],
            repeat,
            log=ctx.log,
        )
        ask = [
            thinkchat_command(),
            "ask",
            "--endpoint",
            host,
            "--model",
            MODEL,
            "--transport",
            transport,
            "--think",
        ]
        bare = [PYTHON, "-m", "benchmarks.bare", "--transport", transport, "--host", host]

        def command(argv: list[str]) -> float:
            outcome = run_timed(argv, env)
            if outcome.returncode != 0:
                raise RuntimeError(f"{' '.join(argv[:4])}… exited {outcome.returncode}")
            return outcome.seconds

        ctx.log(f"engine/{transport}: commands")
        procs = interleave(
            [
                ("bare", lambda b=bare: command([*b, prompt])),
                ("ask --json", lambda a=ask: command([*a, "--json", prompt])),
                ("ask", lambda a=ask: command([*a, prompt])),
            ],
            repeat,
            log=ctx.log,
        )
        size = f"{tokens:,}+{tokens:,} tokens"
        figures += [
            Figure(
                NAME,
                f"{transport}: ChatSession.run",
                inproc["engine"],
                inproc["bare"],
                baseline_name="bare SDK loop",
                target=TARGET,
                note=f"{size}, in process" if transport == "openai" else "",
            ),
            Figure(
                NAME,
                f"{transport}: ask --json",
                procs["ask --json"],
                procs["bare"],
                baseline_name="bare loop process",
                target=TARGET,
            ),
            Figure(
                NAME,
                f"{transport}: ask (text)",
                procs["ask"],
                procs["bare"],
                baseline_name="bare loop process",
                target=TARGET,
            ),
            Figure(
                NAME,
                f"{transport}: transport alone (info)",
                inproc["transport"],
                inproc["bare"],
                baseline_name="bare SDK loop",
                note=(
                    "Transport.stream read to the end, no session or turn: the transport's "
                    "share of ChatSession.run's figure"
                    if transport == "openai"
                    else ""
                ),
            ),
            Figure(
                NAME,
                f"{transport}: wire floor (info)",
                inproc["wire"],
                inproc["bare"],
                baseline_name="bare SDK loop",
                note=(
                    "raw HTTP read of the same stream, no SDK: the part of every figure the "
                    "simulator and the socket cost"
                    if transport == "openai"
                    else ""
                ),
            ),
        ]
    return figures
