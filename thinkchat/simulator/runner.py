"""Running the simulator: in a background thread (tests, --demo) or in the foreground (CLI)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable

from aiohttp import web

from thinkchat.simulator.script import Script
from thinkchat.simulator.server import DEFAULT_KEY, SimulatorApp, SimulatorState


class Simulator:
    """A local Model Studio stand-in on 127.0.0.1, served from its own thread and event loop.

    Use it as a context manager; `url` is the host root to point thinkchat at, `state` queues
    scripts and holds the log of requests received.
    """

    def __init__(
        self,
        *,
        keys: Iterable[str] = (DEFAULT_KEY,),
        region: str | None = None,
        default: Script | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.state = SimulatorState(frozenset(keys), region, default or Script())
        self._host = host
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._port}"

    @property
    def port(self) -> int:
        return self._port

    def start(self) -> Simulator:
        self._thread = threading.Thread(target=self._run, name="thinkchat-simulator", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to the thread that called start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(self._shutdown())
        loop.close()

    async def _serve(self) -> None:
        self._runner = web.AppRunner(SimulatorApp(self.state).app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        sockets = site._server.sockets if site._server else []  # aiohttp has no public getter
        self._port = sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


async def serve_forever(simulator_state: SimulatorState, host: str, port: int) -> None:
    """Serve in the current event loop until cancelled (for `python -m thinkchat.simulator`)."""
    runner = web.AppRunner(SimulatorApp(simulator_state).app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
