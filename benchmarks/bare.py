"""The baseline every streaming benchmark is measured against: a bare loop over the SDK stream.

No engine, no events, no UI: open the SDK's stream exactly as the transports do (same model,
same thinking switch, `max_retries=0`) and read `reasoning_content` and `content` off every
delta. Run as a module it is the subprocess baseline of `thinkchat ask`:

    python -m benchmarks.bare --transport openai --host http://127.0.0.1:8000 "prompt"
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from typing import Any

KEY = "sk-simulator-0000"
MODEL = "qwen-plus"


@dataclass
class BareResult:
    """What a bare loop read: characters of reasoning and answer, and the number of deltas."""

    reasoning_chars: int = 0
    answer_chars: int = 0
    deltas: int = 0


def stream_prompt(reasoning: int, answer: int, extra: str = "") -> str:
    """A prompt whose `#sim` line makes the simulator stream that many tokens of each."""
    return f"#sim reasoning={reasoning} answer={answer}{extra}\nexplain streaming to me"


async def _count(stream: Any, result: BareResult) -> None:
    """Read `reasoning_content` and `content` off every delta, as both SDKs name them."""
    async for chunk in stream:
        if not chunk.choices:
            continue
        delta = chunk.choices[0].delta
        reasoning = getattr(delta, "reasoning_content", None)
        if reasoning:
            result.reasoning_chars += len(reasoning)
        if delta.content:
            result.answer_chars += len(delta.content)
        result.deltas += 1


async def bare_openai(host: str, prompt: str) -> BareResult:
    """`AsyncOpenAI(...).chat.completions.create(stream=True)`, iterated."""
    import openai

    client = openai.AsyncOpenAI(api_key=KEY, base_url=f"{host}/compatible-mode/v1", max_retries=0)
    result = BareResult()
    try:
        stream = await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": prompt}],
            stream=True,
            stream_options={"include_usage": True},
            extra_body={"enable_thinking": True},
        )
        await _count(stream, result)
    finally:
        await client.close()
    return result


async def bare_dashscope(host: str, prompt: str) -> BareResult:
    """`dashscope.AsyncClient(...).chat.completions.create(stream=True)`, iterated."""
    import dashscope

    client = dashscope.AsyncClient(api_key=KEY, base_url=f"{host}/api/v1", max_retries=0)
    result = BareResult()
    try:
        stream = await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": prompt}],
            stream=True,
            enable_thinking=True,
        )
        await _count(stream, result)
    finally:
        await client.aclose()
    return result


async def bare_stream(transport: str, host: str, prompt: str) -> BareResult:
    """The bare loop of `transport` ("openai" or "dashscope")."""
    if transport == "openai":
        return await bare_openai(host, prompt)
    if transport == "dashscope":
        return await bare_dashscope(host, prompt)
    raise ValueError(f"unknown transport {transport!r}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare", description=__doc__)
    parser.add_argument("--transport", choices=("openai", "dashscope"), required=True)
    parser.add_argument("--host", required=True, help="the simulator's host root")
    parser.add_argument("prompt")
    args = parser.parse_args()
    result = asyncio.run(bare_stream(args.transport, args.host, args.prompt))
    return 0 if result.answer_chars else 1


if __name__ == "__main__":
    sys.exit(main())
