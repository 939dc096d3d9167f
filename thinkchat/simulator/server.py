"""The simulator's HTTP server (aiohttp): both protocols, the request log, the control routes."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from thinkchat.simulator.protocols import (
    Ask,
    CompatibleProtocol,
    Framing,
    NativeProtocol,
    WireProtocol,
)
from thinkchat.simulator.script import (
    Fault,
    RequestMatch,
    Script,
    ScriptQueue,
    script_from_prompt,
)
from thinkchat.simulator.service import PrefixCache, Reply, ServiceFailure, check_key, plan_reply

COMPATIBLE_ROUTE = "/compatible-mode/v1/chat/completions"
NATIVE_ROUTE = "/api/v1/services/aigc/text-generation/generation"
DEFAULT_KEY = "sk-simulator-0000"

# Write at least this much at once when streaming at full speed: the bytes and their framing
# are the same, the simulator just spends less time per event.
_FLUSH_BYTES = 16 * 1024
_STALL_POLL = 0.02
COMPATIBLE = CompatibleProtocol()
NATIVE = NativeProtocol()


@dataclass
class RecordedRequest:
    """One request as the simulator received it, and how it ended.

    `outcome`: "streaming", "completed", "error" (an HTTP error was returned),
    "fault" (a mid-stream fault was played) or "client_disconnected".
    """

    protocol: str
    path: str
    headers: dict[str, str]
    body: Any
    received_at: float = field(default_factory=time.time)
    status: int = 200
    outcome: str = "streaming"


@dataclass(frozen=True)
class Visit:
    """Any HTTP request as it arrived (a chat request, or a client's warm-up of its
    connection): which connection it came on and when, for the tests and benchmarks of
    connections opened ahead of time.

    `connection`: the client's port, the same for every request of one connection; `at`:
    `time.monotonic()` when its headers were read, comparable with other processes' on this
    machine; `credentials`: whether it carried an `Authorization` header (which is not kept).
    """

    method: str
    path: str
    connection: int
    at: float
    credentials: bool


class SimulatorState:
    """What tests and the control routes see and change; safe to use from any thread."""

    def __init__(self, keys: frozenset[str], region: str | None, default: Script) -> None:
        self.keys = keys
        self.region = region
        self._scripts = ScriptQueue(default=default)
        self._requests: list[RecordedRequest] = []
        self._visits: list[Visit] = []
        self._changed = threading.Condition()
        self.cache = PrefixCache()

    def enqueue(self, *scripts: Script, when: RequestMatch | None = None) -> None:
        """Scripts for the next requests in order; `when`: for the next requests it matches."""
        with self._changed:
            if when is None:
                self._scripts.waiting.extend(scripts)
            else:
                self._scripts.matched.extend((when, script) for script in scripts)

    def next_script(self, ask: Ask, protocol: str) -> Script:
        with self._changed:
            return self._scripts.next(ask.model, ask.enable_thinking, ask.thinking_budget, protocol)

    def reset(self) -> None:
        with self._changed:
            self._scripts.waiting.clear()
            self._scripts.matched.clear()
            self._requests.clear()
            self._visits.clear()
            self.cache = PrefixCache()

    def record(self, request: RecordedRequest) -> None:
        with self._changed:
            self._requests.append(request)
            self._changed.notify_all()

    def finish(self, request: RecordedRequest, outcome: str, status: int | None = None) -> None:
        with self._changed:
            request.outcome = outcome
            if status is not None:
                request.status = status
            self._changed.notify_all()

    def visit(self, visit: Visit) -> None:
        with self._changed:
            self._visits.append(visit)
            self._changed.notify_all()

    @property
    def visits(self) -> list[Visit]:
        """Every request received but the control routes', in order."""
        with self._changed:
            return list(self._visits)

    def wait_for_visits(self, predicate: Any, timeout: float = 10.0) -> list[Visit]:
        """Block until `predicate(visits)` is true; raise TimeoutError otherwise."""
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self._visits), timeout):
                raise TimeoutError("the simulator did not receive the expected requests")
            return list(self._visits)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._changed:
            return list(self._requests)

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> list[RecordedRequest]:
        """Block until `predicate(requests)` is true; raise TimeoutError otherwise."""
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self._requests), timeout):
                raise TimeoutError("the simulator did not reach the expected state")
            return list(self._requests)


def _steps(reply: Reply, per_event: int) -> Iterator[tuple[str, str, int]]:
    """(phase, text, tokens) for each event of a reply."""
    for phase, pieces in (("reasoning", reply.reasoning), ("answer", reply.answer)):
        for start in range(0, len(pieces), per_event):
            chunk = pieces[start : start + per_event]
            yield phase, "".join(chunk), len(chunk)


class _Stream:
    """Writes events to one streamed response, honouring pace and faults."""

    def __init__(self, request: web.Request, response: web.StreamResponse, script: Script) -> None:
        self._request = request
        self._response = response
        self._script = script
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._chunk_index = 0

    async def send(self, data: bytes) -> None:
        self._buffer.append(data)
        self._buffered += len(data)
        if self._script.delay > 0 or self._buffered >= _FLUSH_BYTES:
            await self.flush()
            if self._script.delay > 0:
                await asyncio.sleep(self._script.delay)

    async def flush(self) -> None:
        if not self._buffer:
            return
        data = b"".join(self._buffer)
        self._buffer.clear()
        self._buffered = 0
        if not self._script.byte_chunks:
            await self._response.write(data)
            return
        sizes = self._script.byte_chunks
        while data:
            size = sizes[self._chunk_index % len(sizes)]
            self._chunk_index += 1
            await self._response.write(data[:size])
            data = data[size:]
            # Let each piece leave on its own, so the client reads them apart.
            await asyncio.sleep(0)

    async def stall(self) -> None:
        """Send nothing more, and keep the connection open until the client gives up."""
        await self.flush()
        transport = self._request.transport
        # aiohttp gives no notice when the peer closes a response it is not writing to.
        while transport is not None and not transport.is_closing():  # noqa: ASYNC110
            await asyncio.sleep(_STALL_POLL)
        raise ConnectionResetError("the client closed a stalled stream")

    def drop(self) -> None:
        transport = self._request.transport
        if transport is not None:
            transport.abort()


class SimulatorApp:
    """The aiohttp application around a `SimulatorState`."""

    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.app = web.Application(
            client_max_size=64 * 1024 * 1024, middlewares=[self._record_visit]
        )
        self.app.router.add_post(COMPATIBLE_ROUTE, self._compatible)
        self.app.router.add_post(NATIVE_ROUTE, self._native)
        self.app.router.add_get("/_sim/requests", self._list_requests)
        self.app.router.add_get("/_sim/visits", self._list_visits)
        self.app.router.add_post("/_sim/scripts", self._enqueue)
        self.app.router.add_post("/_sim/reset", self._reset)

    @web.middleware
    async def _record_visit(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith("/_sim/"):
            peer = request.transport.get_extra_info("peername") if request.transport else None
            self.state.visit(
                Visit(
                    request.method,
                    request.path,
                    peer[1] if peer else 0,
                    time.monotonic(),
                    "Authorization" in request.headers,
                )
            )
        return await handler(request)

    async def _list_requests(self, request: web.Request) -> web.Response:
        return web.json_response([r.__dict__ for r in self.state.requests])

    async def _list_visits(self, request: web.Request) -> web.Response:
        return web.json_response([visit.__dict__ for visit in self.state.visits])

    async def _enqueue(self, request: web.Request) -> web.Response:
        try:
            scripts = [Script.from_json(item) for item in await request.json()]
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        self.state.enqueue(*scripts)
        return web.json_response({"queued": len(scripts)})

    async def _reset(self, request: web.Request) -> web.Response:
        self.state.reset()
        return web.json_response({"reset": True})

    async def _begin(self, request: web.Request, protocol: str) -> tuple[RecordedRequest, Any]:
        raw = await request.read()
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        recorded = RecordedRequest(protocol, request.path, dict(request.headers), body)
        self.state.record(recorded)
        return recorded, body

    def _script_for(self, ask: Ask, protocol: str) -> Script:
        script = self.state.next_script(ask, protocol)
        messages = ask.messages
        if isinstance(messages, list) and messages and isinstance(messages[-1], dict):
            content = messages[-1].get("content")
            if isinstance(content, str):
                script = script_from_prompt(content, script)
        return script

    async def _compatible(self, request: web.Request) -> web.StreamResponse:
        return await self._handle(request, COMPATIBLE)

    async def _native(self, request: web.Request) -> web.StreamResponse:
        return await self._handle(request, NATIVE)

    async def _handle(self, request: web.Request, protocol: WireProtocol) -> web.StreamResponse:
        recorded, body = await self._begin(request, protocol.name)
        request_id = str(uuid.uuid4())
        headers = {"x-request-id": request_id}
        script: Script | None = None
        try:
            check_key(request.headers.get("Authorization"), self.state.keys)
            ask = protocol.parse(body, request.headers)
            script = self._script_for(ask, protocol.name)
            if script.fault is not None and script.fault.is_http:
                raise ServiceFailure(script.fault.kind, script.fault.message)
            reply = plan_reply(
                model=ask.model,
                messages=ask.messages,
                enable_thinking=ask.enable_thinking,
                thinking_budget=ask.thinking_budget,
                max_tokens=ask.max_tokens,
                stream=ask.stream,
                region=self.state.region,
                script=script,
                cache=self.state.cache,
            )
        except ServiceFailure as failure:
            self.state.finish(recorded, "error", failure.status)
            return web.json_response(
                protocol.error_body(failure.fault, request_id, failure.message),
                status=failure.status,
                headers={**headers, **_retry_after(script)},
            )
        if not ask.stream:
            self.state.finish(recorded, "completed")
            return web.json_response(protocol.completion(ask, reply, request_id))
        framing = protocol.framing(ask, reply, script, request_id)
        return await self._stream(request, recorded, headers, script, reply, framing)

    async def _stream(
        self,
        request: web.Request,
        recorded: RecordedRequest,
        headers: dict[str, str],
        script: Script,
        reply: Reply,
        framing: Framing,
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                **headers,
                "Content-Type": "text/event-stream;charset=UTF-8",
                "Cache-Control": "no-cache",
            }
        )
        fault = script.fault
        outcome = "completed"
        try:
            await response.prepare(request)
            out = _Stream(request, response, script)
            if fault is not None and fault.kind == "empty":
                outcome = "fault"
                return response
            if script.first_delay > 0:
                await asyncio.sleep(script.first_delay)
            first = framing.first()
            if first:
                await out.send(first)
            played = {"reasoning": 0, "answer": 0}
            for phase, text, tokens in _steps(reply, script.tokens_per_event):
                at_fault = (
                    fault is not None and fault.phase == phase and played[phase] >= fault.after
                )
                if at_fault and await self._play_fault(out, fault, framing):
                    outcome = "fault"
                    return response
                played[phase] += tokens
                await out.send(framing.event(phase, text, tokens))
            if fault is not None and fault.kind in ("drop", "malformed", "stall", "stream_error"):
                # The fault's phase was shorter than `after`: play it at the end of the text.
                await self._play_fault(out, fault, framing)
                outcome = "fault"
                return response
            for part in framing.ending(fault.kind if fault else None):
                await out.send(part)
            await out.flush()
            if fault is not None:
                outcome = "fault"
        except ConnectionError:
            outcome = "client_disconnected"
        except asyncio.CancelledError:
            outcome = "client_disconnected"
            raise
        finally:
            self.state.finish(recorded, outcome)
        return response

    @staticmethod
    async def _play_fault(out: _Stream, fault: Fault, framing: Framing) -> bool:
        """Play a mid-stream fault; True when the stream ends with it."""
        if fault.kind == "stream_error":
            await out.send(framing.error(fault.error, fault.message))
            await out.flush()
            return True
        if fault.kind == "malformed":
            await out.send(b'data: {"choices": [{"delta": {"content": "trunc\n\n')
            await out.flush()
            return True
        if fault.kind == "drop":
            await out.flush()
            out.drop()
            return True
        if fault.kind == "stall":
            await out.stall()
        return False


def _retry_after(script: Script | None) -> dict[str, str]:
    if script is None or script.fault is None or script.fault.retry_after is None:
        return {}
    return {"Retry-After": f"{script.fault.retry_after:g}"}
