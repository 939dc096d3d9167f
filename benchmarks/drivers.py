"""Child processes of the benchmarks: `python -m benchmarks.drivers MODE [ARGS…]`.

Each driver does the thing being measured, prints one `@@BENCH {json}` line (see `childio`)
when its measured moment has come, and exits. Modes:

- `minimal-tty`: a minimal Textual app (one Input) on the real terminal (the parent gives it a
  pseudo-terminal and watches the output for the first frame);
- `minimal-headless`: the same app, headless; reports at its first frame with the Input focused;
- `thinkchat-headless [ARGS…]`: `thinkchat ARGS…` through its real entry point
  (`thinkchat.cli.entry.main`), the app run headless; reports at the first frame where the app is
  usable: prompt focused, no dialog, and every turn it shows has its answer rendered;
- `memory HOST TOKENS`: the app streams a TOKENS+TOKENS turn from HOST; reports the peak RSS
  growth during the stream;
- `memory-bare HOST TOKENS`: the bare SDK loop, keeping the text, the same way.

Imports happen inside the modes: a start-up driver pays only for what its app imports.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from benchmarks.childio import current_rss, emit, peak_rss, reset_peak_rss

SIZE = (140, 40)
SDK_MODULES = ("openai", "dashscope", "httpx", "aiohttp")


def _report_at_ready(app: Any, ready: Any, started: float, details: Any) -> None:
    """At the first frame for which `ready(app)` holds: emit the report, then exit the app.

    `details(app)` adds to the report what the app holds at that moment.
    """
    from benchmarks.frames import FrameWatcher

    watcher = FrameWatcher(app)

    def shown(update: Any) -> bool:
        return bool(ready(app))

    expectation = watcher.expect(shown)
    original = expectation.resolve

    def resolve(now: float) -> None:
        original(now)
        emit(
            {
                "seconds_in_app": now - started,
                "sdk_modules": sorted(m for m in SDK_MODULES if m in sys.modules),
                "module_count": len(sys.modules),
                "peak_rss": peak_rss(),
                "frames": watcher.frames,
                **details(app),
            }
        )
        app.call_later(app.exit)

    expectation.resolve = resolve  # type: ignore[method-assign]


def _minimal_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(placeholder="Type a message")

        def on_mount(self) -> None:
            self.query_one(Input).focus()

    return Minimal()


def minimal(headless: bool) -> int:
    app = _minimal_app()
    if headless:
        from textual.widgets import Input

        _report_at_ready(
            app,
            lambda a: isinstance(a.focused, Input),
            time.perf_counter(),
            lambda a: {"app": "minimal"},
        )
        app.run(headless=True, size=SIZE)
    else:
        app.run()
    return 0


def _thinkchat_ready(app: Any) -> bool:
    from thinkchat.ui.widgets.prompt import PromptInput

    if app.screen is not app.screen_stack[0] or not isinstance(app.focused, PromptInput):
        return False
    turns = app.chat_screen.session.conversation.turns
    view = app.chat_screen.conversation_view
    entries = view.entries
    if len(entries) != min(len(turns), view.PAGE_TURNS) or view.text_width <= 0:
        return False
    if not entries or not entries[-1].turn.answer:
        return True
    # The end of the conversation is on screen: the last answer's last lines are drawn.
    drawn = [passage for passage in entries[-1].answer.passages if passage.text]
    return view.text_width in drawn[-1].rendered


def thinkchat_headless(arguments: list[str]) -> int:
    """`thinkchat ARGUMENTS` as the command runs it, with the app headless."""

    def patch(module: ModuleType) -> None:
        app_class = module.ThinkChatApp
        run = app_class.run

        def headless_run(self: Any, *args: Any, **kwargs: Any) -> Any:
            def details(app: Any) -> dict[str, Any]:
                return {
                    "app": "thinkchat",
                    "turns": len(app.chat_screen.session.conversation.turns),
                    "turns_shown": len(app.chat_screen.conversation_view.entries),
                }

            _report_at_ready(self, _thinkchat_ready, time.perf_counter(), details)
            return run(self, headless=True, size=SIZE)

        app_class.run = headless_run

    # Not imported here: the command imports the app only once it has prepared its start-up
    # (no garbage collection until the first frame), and importing it before would measure a
    # start-up the command never has.
    _after_first_import("thinkchat.ui.app", patch)
    from thinkchat.cli.entry import main

    return main(arguments)


def _after_first_import(name: str, patch: Callable[[ModuleType], None]) -> None:
    """Call `patch(module)` as soon as module `name` has been imported, by whoever imports it."""
    from importlib.machinery import PathFinder

    class PatchOnImport:
        """A meta path finder for `name` alone: it finds the module as usual and wraps its
        loader so that `patch` runs right after the module's code."""

        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = PathFinder.find_spec(fullname, path, target)
            if spec is None or spec.loader is None:
                raise ImportError(f"{name} not found")
            execute = spec.loader.exec_module

            def execute_and_patch(module: ModuleType) -> None:
                execute(module)
                patch(module)

            spec.loader.exec_module = execute_and_patch  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, PatchOnImport())


def memory(host: str, tokens: int) -> int:
    """Peak RSS growth while the app streams one turn of `tokens` + `tokens` tokens."""
    import asyncio
    import gc
    import tempfile
    from pathlib import Path

    from benchmarks.bare import stream_prompt
    from benchmarks.frames import FrameWatcher
    from benchmarks.tuikit import make_app, stream_turn

    async def main() -> None:
        app = make_app(host, Path(tempfile.mkdtemp(prefix="thinkchat-memory-")))
        async with app.run_test(size=SIZE):
            watcher = FrameWatcher(app)
            await watcher.settle(quiet=0.1)
            # A first, short turn pays for what any first request costs (the SDK's import,
            # its client, the connection), so that the measured turn shows what grows.
            gc.collect()
            start = current_rss()
            await stream_turn(app, watcher, stream_prompt(50, 50))
            gc.collect()
            before = current_rss()
            reset_peak_rss()
            timing = await stream_turn(app, watcher, stream_prompt(tokens, tokens))
            peak = peak_rss()
            gc.collect()
            emit(
                {
                    "rss_start": start,
                    "rss_before": before,
                    "peak": peak,
                    "rss_after": current_rss(),
                    "text_bytes": timing.reasoning_chars + timing.answer_chars,
                    "seconds": timing.seconds,
                }
            )

    asyncio.run(main())
    return 0


def memory_bare(host: str, tokens: int) -> int:
    """The same for the bare SDK loop keeping the text (no engine, no UI)."""
    import asyncio
    import gc

    import openai

    from benchmarks.bare import KEY, MODEL, stream_prompt

    async def main() -> None:
        client = openai.AsyncOpenAI(
            api_key=KEY, base_url=f"{host}/compatible-mode/v1", max_retries=0
        )

        async def stream(count: int) -> str:
            reasoning: list[str] = []
            answer: list[str] = []
            chunks = await client.chat.completions.create(
                model=MODEL,
                messages=[{"role": "user", "content": stream_prompt(count, count)}],
                stream=True,
                stream_options={"include_usage": True},
                extra_body={"enable_thinking": True},
            )
            async for chunk in chunks:
                if chunk.choices:
                    delta = chunk.choices[0].delta
                    reasoning.append(getattr(delta, "reasoning_content", None) or "")
                    answer.append(delta.content or "")
            return "".join(reasoning) + "".join(answer)

        await stream(50)  # the same warm-up as the app's
        gc.collect()
        before = current_rss()
        reset_peak_rss()
        text = await stream(tokens)
        peak = peak_rss()
        await client.close()
        emit({"rss_before": before, "peak": peak, "text_bytes": len(text.encode())})

    asyncio.run(main())
    return 0


def main(argv: list[str]) -> int:
    mode, *rest = argv
    if mode in ("minimal-tty", "minimal-headless"):
        return minimal(headless=mode == "minimal-headless")
    if mode == "thinkchat-headless":
        return thinkchat_headless(rest)
    if mode == "memory":
        return memory(rest[0], int(rest[1]))
    if mode == "memory-bare":
        return memory_bare(rest[0], int(rest[1]))
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
