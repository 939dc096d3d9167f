"""`thinkchat serve` opens to whoever holds the run's secret, and listens wide only when told."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
import pytest

from tests.process import thinkchat
from tests.served import Served, Tab, eventually, serving
from thinkchat.cli.main import build_parser
from thinkchat.cli.serve import app_command, is_loopback, link
from thinkchat.web.guard import Guard


async def _get(served: Served, path: str, **options: object) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session,
        session.get(f"{served.base}{path}", allow_redirects=False, **options) as response,  # type: ignore[arg-type]
    ):
        return response.status, await response.text()


async def test_without_the_secret_nothing_is_served_and_no_app_starts(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        for path in ("/", "/static/js/textual.js", f"/?token=not-{served.token}"):
            status, text = await _get(served, path)
            assert status == 403, path
            assert "needs the link that 'thinkchat serve' printed" in text
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(f"{served.base}/ws")
            assert refused.value.status == 403
            forged = {"Cookie": "thinkchat-0000=guess"}
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await session.ws_connect(f"{served.base}/ws", headers=forged)
        # One tab with the secret starts one app: the refused websockets started none.
        tab = await Tab(served).connect()
        await tab.started()
        assert len(served.apps()) == 1
        await tab.close()
        await eventually(lambda: not served.apps(), "the tab's app to end")


async def test_the_link_trades_its_secret_for_a_cookie_and_drops_it(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            async with session.get(f"{served.link}&fontsize=20", allow_redirects=False) as response:
                assert response.status == 303
                assert response.headers["Location"] == "/?fontsize=20"
                cookie = response.headers["Set-Cookie"]
            assert served.token in cookie
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
            async with session.get(f"{served.base}/?fontsize=20") as page:
                assert page.status == 200
                html = await page.text()
                assert page.headers["X-Frame-Options"] == "DENY"
            # The websocket's address is the one the browser used, and nothing comes from
            # another site (no web fonts from Google).
            assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in html
            assert 'data-font-size="20"' in html
            assert "googleapis" not in html
            assert served.token not in html
            async with session.get(f"{served.base}/static/js/textual.js") as script:
                assert script.status == 200


async def test_a_websocket_from_another_sites_page_is_refused(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(served.link, allow_redirects=False):
                pass
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(
                    f"{served.base}/ws", headers={"Origin": "http://evil.example"}
                )
            assert refused.value.status == 403
            websocket = await session.ws_connect(
                f"{served.base}/ws", headers={"Origin": served.base}
            )
            await websocket.close()
        await eventually(lambda: not served.apps(), "the tab's app to end")


def test_a_wide_host_needs_allow_remote() -> None:
    result = thinkchat("serve", "--demo", "--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 2
    error = result.stderr.decode()
    assert "--host 0.0.0.0 would let other machines open the app" in error
    assert "--allow-remote" in error and "ssh -L" in error
    assert "Traceback" not in error


async def test_listening_wide_warns_and_still_wants_the_secret(tmp_path: Path) -> None:
    with serving(tmp_path, "--host", "0.0.0.0", "--allow-remote") as served:
        stderr = "".join(served.stderr)
        assert "warning: listening on 0.0.0.0" in stderr
        assert "can use thinkchat with your API key" in stderr
        assert served.host == socket.gethostname()
        assert stderr.count(served.token) == 1  # printed once
        status, _ = await _get(served, "/")
        assert status == 403


def test_a_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = thinkchat("serve", "--demo", "--port", port)
    assert result.returncode == 1
    error = result.stderr.decode()
    assert f"cannot listen on 127.0.0.1 port {port}" in error and "--port 0" in error
    assert "Traceback" not in error


def test_a_broken_config_is_reported_before_serving(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("model = [\n")
    result = thinkchat("serve", "--config", str(config), "--port", "0")
    assert result.returncode == 2
    assert "thinkchat: error:" in result.stderr.decode()
    assert "serving" not in result.stderr.decode()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("myhost.example", False),
    ],
)
def test_only_loopback_addresses_count_as_this_machine(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_link_brackets_an_ipv6_address() -> None:
    assert link("::1", 8800, "s3cret") == "http://[::1]:8800/?token=s3cret"
    assert link("0.0.0.0", 8800, "s3cret") == f"http://{socket.gethostname()}:8800/?token=s3cret"


def test_each_tab_runs_thinkchat_with_serves_settings(tmp_path: Path) -> None:
    config = str(tmp_path / "c.toml")
    settings = "--model qwq-plus --region beijing --endpoint http://127.0.0.1:9"
    args = build_parser().parse_args(
        ["serve", "--config", config, *settings.split(), "--no-think", "--budget", "none"]
    )
    assert app_command(args)[1:] == [
        "-m", "thinkchat", "--config", config, *settings.split(), "--no-think", "--budget", "none"
    ]  # fmt: skip
    demo = build_parser().parse_args(["serve", "--demo", "--budget", "300"])
    assert app_command(demo)[1:] == ["-m", "thinkchat", "--budget", "300", "--demo"]


def test_two_runs_have_different_secrets_and_cookies() -> None:
    first, second = Guard.new(), Guard.new()
    assert first.secret != second.secret and first.cookie != second.cookie
    assert len(first.secret) >= 32
    assert first.secret not in repr(first)
