"""The web server behind `thinkchat serve`: textual-serve's, guarded, and ending what it starts.

textual-serve's Server gives the page, its static files, downloads and the websocket protocol.
Changed here:
- every request passes the Guard first, so a request without the secret starts nothing;
- the page's websocket address is the one the browser used (textual-serve builds it from the
  address it listens on, which for 0.0.0.0 or :: no browser can reach);
- each websocket's app process is an AppProcess, ended with its tab, and all of them are
  ended, and waited for, before the server stops (on SIGINT, SIGTERM or SIGHUP).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from thinkchat.web.app_process import AppProcess
from thinkchat.web.guard import Guard

TEMPLATES = Path(__file__).parent / "templates"
HEARTBEAT_SECONDS = 15  # a tab whose browser vanished without closing it is noticed by then
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# Once every app has ended, how long a tab's connection may take to close.
SHUTDOWN_GRACE = 5.0

log = logging.getLogger("thinkchat.serve")


class AppServer(Server):
    """Serves `argv` (the app's command line) to browser tabs, one app process per tab."""

    def __init__(self, argv: Sequence[str], *, host: str, port: int, guard: Guard) -> None:
        super().__init__(" ".join(argv), host=host, port=port, title="thinkchat")
        self.argv = tuple(argv)
        self.guard = guard
        self.apps: set[AppProcess] = set()
        self._stopping = False

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard.middleware])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        websocket_scheme = "wss" if request.secure else "ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket_scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start its app process, relay it, and end it when the tab goes."""
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS)
        await websocket.prepare(request)
        if self._stopping:  # checked after the await: stop_apps may have begun meanwhile
            await websocket.close()
            return websocket
        app = AppProcess(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.apps.add(app)
        try:
            await app.start(
                to_int(request.query.get("width", "80"), 80),
                to_int(request.query.get("height", "24"), 24),
            )
            await self._process_messages(websocket, app)
        except Exception:
            log.exception("A tab's app failed")
        finally:
            await app.stop()
            self.apps.discard(app)
            await websocket.close()
        return websocket

    async def stop_apps(self) -> None:
        """End every tab's app process, and wait for all of them."""
        self._stopping = True
        await asyncio.gather(*(app.stop() for app in list(self.apps)))

    async def run(self, on_listening: Callable[[int], None]) -> None:
        """Serve until SIGINT, SIGTERM or SIGHUP; `on_listening` gets the port once bound."""
        runner = web.AppRunner(
            await self._make_app(),
            handle_signals=False,
            access_log=None,
            shutdown_timeout=SHUTDOWN_GRACE,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            on_listening(_bound_port(runner, self.port))
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signal_number in STOP_SIGNALS:
                loop.add_signal_handler(signal_number, stop.set)
            await stop.wait()
            await site.stop()  # no new tabs
            await self.stop_apps()
        finally:
            await runner.cleanup()


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    """The port listened on (the one the system chose when `asked` is 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked
