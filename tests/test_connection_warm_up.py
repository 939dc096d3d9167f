"""The connection opened ahead of the first request: once per transport (host, key, SDK),
again after a change of region, transport or key, without the key, and never in the way; and
opened again while the user types, once idle long enough for the SDK to have closed it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from tests.tui import make_app, notifications, screen_text, send
from thinkchat.chat.api_key import ApiKey
from thinkchat.chat.request import Endpoint
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.transport import Transport
from thinkchat.chat.turn import TurnStatus
from thinkchat.simulator import DEFAULT_KEY, Simulator, Visit

SIZE = (140, 40)
BASE_PATHS = {"openai": "/compatible-mode/v1", "dashscope": "/api/v1"}


def head_count(simulator: Simulator) -> int:
    return sum(visit.method == "HEAD" for visit in simulator.state.visits)


async def warm_ups(simulator: Simulator, count: int) -> list[Visit]:
    """The warm-ups (HEAD requests) the simulator received, once there are `count` of them."""

    def enough(visits: list[Visit]) -> bool:
        return sum(visit.method == "HEAD" for visit in visits) >= count

    visits = await asyncio.to_thread(simulator.state.wait_for_visits, enough)
    return [visit for visit in visits if visit.method == "HEAD"]


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_the_first_request_reuses_the_connection_the_warm_up_opened(simulator, transport):
    session = ChatSession(
        ChatSettings(transport=transport),
        lambda region: Endpoint(simulator.url, ApiKey(DEFAULT_KEY), region),
    )
    await session.warm_up()
    await session.warm_up()  # once per transport
    turn = session.begin("hello #sim reasoning=5 answer=5")
    async for _ in session.run(turn):
        pass
    await session.aclose()
    assert turn.status is TurnStatus.DONE
    head, post = simulator.state.visits
    assert (head.method, head.path) == ("HEAD", BASE_PATHS[transport])
    assert not head.credentials  # the key never goes with the warm-up
    assert post.method == "POST" and post.credentials
    assert post.connection == head.connection  # the same connection, not a new one


async def test_a_session_without_a_key_warms_nothing_up(simulator):
    def no_key(region: str) -> Endpoint:
        raise LookupError(f"no key for {region}")

    session = ChatSession(ChatSettings(), no_key)
    await session.warm_up()  # says nothing: the request asks for the key
    assert simulator.state.visits == []


async def test_the_app_warms_up_once_and_again_after_a_change_of_region_or_transport(
    simulator, tmp_path
):
    app = make_app(simulator, tmp_path, model="qwen-plus")
    async with app.run_test(size=SIZE) as pilot:
        (first,) = await warm_ups(simulator, 1)  # once the screen is up
        assert (first.path, first.credentials) == ("/compatible-mode/v1", False)
        await pilot.press("ctrl+t", "ctrl+t")  # other settings: the same connection
        await app.workers.wait_for_complete()
        await send(pilot, "hello")
        assert len([visit for visit in simulator.state.visits if visit.method == "HEAD"]) == 1
        post = simulator.state.visits[-1]
        assert post.method == "POST" and post.connection == first.connection

        await pilot.press("ctrl+r", "down", "enter")  # Virginia: a transport of its own
        second = (await warm_ups(simulator, 2))[-1]
        assert second.connection != first.connection
        await pilot.press("ctrl+g")  # the DashScope SDK
        third = (await warm_ups(simulator, 3))[-1]
        assert (third.path, third.credentials) == ("/api/v1", False)


async def test_a_key_entered_warms_up_the_connection_for_it(simulator, tmp_path):
    app = make_app(simulator, tmp_path, api_keys={})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*DEFAULT_KEY, "enter")
        (head,) = await warm_ups(simulator, 1)
        assert not head.credentials
        await send(pilot, "hello")
        post = simulator.state.visits[-1]
        assert post.method == "POST" and post.connection == head.connection


@asynccontextmanager
async def silent_server() -> AsyncIterator[tuple[str, asyncio.Event]]:
    """A server on 127.0.0.1 that accepts connections and never answers; its URL, and an
    event set once a client has connected."""
    connected = asyncio.Event()

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()
        await reader.read()  # until the client goes
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", connected
    finally:
        server.close()


async def test_a_warm_up_the_host_never_answers_blocks_no_key(tmp_path):
    async with silent_server() as (url, connected):
        app = make_app(None, tmp_path, endpoint=url)
        async with app.run_test(size=SIZE) as pilot:
            await connected.wait()  # the warm-up is waiting for its answer
            await pilot.press(*"still typing")
            assert app.chat_screen.prompt_input.text == "still typing"
            await pilot.press("ctrl+t")
            assert notifications(app) == ["Thinking on for the next request."]


async def test_a_failed_warm_up_leaves_no_trace_and_the_request_reports_as_before(tmp_path):
    app = make_app(None, tmp_path, model="qwen-plus")  # nothing listens on its endpoint
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = screen_text(app)
        app.chat_screen._settings.warm_up()  # as after a change of settings
        await app.workers.wait_for_complete()
        await pilot.pause()
        (transport,) = app.chat_screen.session._transports.values()
        assert transport._client is not None  # it did try: the client is built
        assert notifications(app) == []
        assert screen_text(app) == before
        await send(pilot, "hello")
        turn = app.chat_screen.session.conversation.turns[0]
        assert turn.status is TurnStatus.FAILED
        assert "127.0.0.1:9" in screen_text(app)


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_a_connection_idle_long_enough_to_be_closed_is_opened_again(
    simulator, transport, monkeypatch
):
    session = ChatSession(
        ChatSettings(transport=transport),
        lambda region: Endpoint(simulator.url, ApiKey(DEFAULT_KEY), region),
    )
    assert not session.connection_may_be_stale()  # nothing opened yet: the warm-up's job
    await session.warm_up()
    assert not session.connection_may_be_stale()  # just opened
    await session.keep_warm()
    assert head_count(simulator) == 1

    monkeypatch.setattr(Transport, "stale_after_seconds", 0.0)  # as if idle for long
    assert session.connection_may_be_stale()
    await session.keep_warm()
    (_, again) = await warm_ups(simulator, 2)
    assert not again.credentials  # the key never goes with it either

    turn = session.begin("hello #sim reasoning=5 answer=5")
    async with contextlib.aclosing(session.run(turn)) as events:
        await anext(events)
        assert not session.connection_may_be_stale()  # in use by the request
        async for _ in events:
            pass
    await session.aclose()
    assert turn.status is TurnStatus.DONE
    post = simulator.state.visits[-1]
    assert post.method == "POST" and post.connection == again.connection


async def test_typing_opens_an_idle_connection_again_and_a_fresh_one_is_left_alone(
    simulator, tmp_path, monkeypatch
):
    app = make_app(simulator, tmp_path, model="qwen-plus")
    async with app.run_test(size=SIZE) as pilot:
        await warm_ups(simulator, 1)
        await app.workers.wait_for_complete()
        await pilot.press(*"hello")  # just opened: nothing to do
        await app.workers.wait_for_complete()
        assert head_count(simulator) == 1

        monkeypatch.setattr(Transport, "stale_after_seconds", 0.0)  # as if idle for long
        await pilot.press("!")
        (_, again) = await warm_ups(simulator, 2)
        await app.workers.wait_for_complete()
        await pilot.press("enter")  # the cleared input warms nothing: the request goes
        await app.workers.wait_for_complete()
        *_, head, post = simulator.state.visits
        assert head == again and head_count(simulator) == 2
        assert post.method == "POST" and post.connection == again.connection
