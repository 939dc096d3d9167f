"""The baseline every streaming benchmark is measured against: a bare loop over the SDK stream.

No engine, no events, no UI: open the SDK's stream exactly as the transports do (same model,
same thinking switch, `max_retries=0`) and read `reasoning_content` and `content` off every
delta. Run as a module it is the subprocess baseline of `thinkchat ask`:

    python -m benchmarks.bare --transport openai --host http://127.0.0.1:8000 "prompt"

With `--mark-first` it prints `FIRST_MARK` on stdout at the first delta with text: the
baseline of `thinkchat ask`'s time to first token (benchmarks/first_token.py).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

KEY = "sk-simulator-0000"
MODEL = "qwen-plus"
FIRST_MARK = "@@FIRST"


def _nothing() -> None:
    pass


@dataclass
class BareResult:
    """What a bare loop read: characters of reasoning and answer, and the number of deltas."""

    reasoning_chars: int = 0
    answer_chars: int = 0
    deltas: int = 0


def stream_prompt(reasoning: int, answer: int, extra: str = "") -> str:
    """A prompt whose `#sim` line makes the simulator stream that many tokens of each."""
    return f"#sim reasoning={reasoning} answer={answer}{extra}\nexplain streaming to me"


async def _count(stream: Any, result: BareResult, on_first: Callable[[], None]) -> None:
    """Read `reasoning_content` and `content` off every delta, as both SDKs name them;
    `on_first()` at the first delta with text."""
    async for chunk in stream:
        if not chunk.choices:
            continue
        delta = chunk.choices[0].delta
        reasoning = getattr(delta, "reasoning_content", None)
        had_text = result.reasoning_chars or result.answer_chars
        if reasoning:
            result.reasoning_chars += len(reasoning)
        if delta.content:
            result.answer_chars += len(delta.content)
        if not had_text and (reasoning or delta.content):
            on_first()
        result.deltas += 1


async def bare_openai(
    host: str,
    prompt: str,
    on_request: Callable[[], None] = _nothing,
    on_first: Callable[[], None] = _nothing,
) -> BareResult:
    """`AsyncOpenAI(...).chat.completions.create(stream=True)`, iterated; `on_request()` just
    before the request (the client is made), `on_first()` at the first delta with text."""
    import openai

    client = openai.AsyncOpenAI(api_key=KEY, base_url=f"{host}/compatible-mode/v1", max_retries=0)
    result = BareResult()
    try:
        on_request()
        stream = await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": prompt}],
            stream=True,
            stream_options={"include_usage": True},
            extra_body={"enable_thinking": True},
        )
        await _count(stream, result, on_first)
    finally:
        await client.close()
    return result


async def bare_dashscope(
    host: str,
    prompt: str,
    on_request: Callable[[], None] = _nothing,
    on_first: Callable[[], None] = _nothing,
) -> BareResult:
    """`dashscope.AsyncClient(...).chat.completions.create(stream=True)`, iterated; the
    callbacks as `bare_openai`'s."""
    import dashscope

    client = dashscope.AsyncClient(api_key=KEY, base_url=f"{host}/api/v1", max_retries=0)
    result = BareResult()
    try:
        on_request()
        stream = await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": prompt}],
            stream=True,
            enable_thinking=True,
        )
        await _count(stream, result, on_first)
    finally:
        await client.aclose()
    return result


async def bare_stream(
    transport: str,
    host: str,
    prompt: str,
    on_request: Callable[[], None] = _nothing,
    on_first: Callable[[], None] = _nothing,
) -> BareResult:
    """The bare loop of `transport` ("openai" or "dashscope"); the callbacks as
    `bare_openai`'s."""
    if transport == "openai":
        return await bare_openai(host, prompt, on_request, on_first)
    if transport == "dashscope":
        return await bare_dashscope(host, prompt, on_request, on_first)
    raise ValueError(f"unknown transport {transport!r}")


def _mark_first() -> None:
    print(FIRST_MARK, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare", description=__doc__)
    parser.add_argument("--transport", choices=("openai", "dashscope"), required=True)
    parser.add_argument("--host", required=True, help="the simulator's host root")
    parser.add_argument("--mark-first", action="store_true", help="print a line at the first token")
    parser.add_argument("prompt")
    args = parser.parse_args()
    on_first = _mark_first if args.mark_first else _nothing
    result = asyncio.run(bare_stream(args.transport, args.host, args.prompt, on_first=on_first))
    return 0 if result.answer_chars else 1


if __name__ == "__main__":
    sys.exit(main())
