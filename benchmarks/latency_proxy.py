"""A TCP proxy on 127.0.0.1 that adds latency: a link to a far-away host, in front of the
simulator.

Every byte takes `rtt / 2` to cross, each way, so a request and its answer take one round trip
more than on the loopback. A new connection also pays TCP's handshake: the client's first bytes
leave one round trip after it connected (over TLS it would be two or three). The connection to
the simulator itself is made at once, on the loopback.

Run as its own process, so that it never shares the GIL with the client being measured:

    python -m benchmarks.latency_proxy --upstream 8000 --rtt 0.1

It prints the port it listens on, on a line of its own, then serves until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
from pathlib import Path

from benchmarks.procs import PYTHON, REPO, child_env, stop_process

DEFAULT_RTT = 0.1


async def _carry(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float, not_before: float
) -> None:
    """Copy `reader` to `writer`, each piece `delay` seconds after it was read (and not
    before `not_before`, on the loop's clock), in order; close `writer` at the end."""
    loop = asyncio.get_running_loop()
    pieces: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:
            due, data = await pieces.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        writer.close()

    delivering = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(65536)
            pieces.put_nowait((max(loop.time(), not_before) + delay, data))
            if not data:
                break
        await delivering
    except (ConnectionError, OSError):
        delivering.cancel()
        writer.close()


async def serve(upstream: int, rtt: float) -> None:
    """Proxy 127.0.0.1:<a free port> to 127.0.0.1:`upstream` with `rtt` of latency."""
    loop = asyncio.get_running_loop()
    one_way = rtt / 2

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # The handshake: SYN there, SYN-ACK back; only then do the client's bytes leave.
        handshaken = loop.time() + rtt
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream)
        await asyncio.gather(
            _carry(reader, up_writer, one_way, handshaken),
            _carry(up_reader, writer, one_way, 0.0),
        )

    server = await asyncio.start_server(connection, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    async with server:
        await server.serve_forever()


class LatencyProxy:
    """The proxy in a process of its own, in front of `upstream` (a port on 127.0.0.1);
    `folder`: its scratch folder (see `procs.child_env`)."""

    def __init__(self, upstream: int, folder: Path, rtt: float = DEFAULT_RTT) -> None:
        self.upstream = upstream
        self.folder = folder
        self.rtt = rtt
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LatencyProxy:
        command = [PYTHON, "-m", "benchmarks.latency_proxy", "--upstream", str(self.upstream)]
        self._process = subprocess.Popen(
            [*command, "--rtt", str(self.rtt)],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=REPO,
            env=child_env(self.folder),
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.strip():
            stop_process(self._process)
            raise RuntimeError("the latency proxy did not start")
        self.port = int(line)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process is not None:
            stop_process(self._process)
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency_proxy", description=__doc__)
    parser.add_argument("--upstream", type=int, required=True, help="the port to proxy to")
    parser.add_argument("--rtt", type=float, default=DEFAULT_RTT, help="round trip, seconds")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.upstream, args.rtt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
