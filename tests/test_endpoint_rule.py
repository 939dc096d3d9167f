"""An endpoint override never sends the API key in the clear to another machine unless the
user allows it on purpose: the rule, where each setting comes from, `ask` and the chat.

No test sends anything to another machine: a refused endpoint is refused before any
connection, and the allowed ones that are used are `0.0.0.0`, which is not a loopback address
(so the rule treats it as another machine) but which Linux connects to this machine's
simulator.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.process import thinkchat
from tests.tui import make_config, notifications, send
from thinkchat.cli.main import build_parser
from thinkchat.cli.options import load_settings
from thinkchat.config.endpoint_rule import BadEndpoint, Cleartext, cleartext, parse_endpoint
from thinkchat.config.errors import ConfigError
from thinkchat.config.settings import Config
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import DEFAULT_KEY, Script, Simulator
from thinkchat.ui.app import ThinkChatApp

ANOTHER_MACHINE = "http://10.1.2.3:8000"
ALLOWANCES = ("--allow-insecure-endpoint", "THINKCHAT_ALLOW_INSECURE_ENDPOINT=1")
ALLOW_IN_FILE = "allow_insecure_endpoint = true"


def via_any_address(simulator: Simulator) -> str:
    """The simulator's URL by the unspecified address: another machine by the rule."""
    return simulator.url.replace("127.0.0.1", "0.0.0.0")


def settings(*argv: str) -> Config:
    """The settings `thinkchat ARGV` would run with."""
    return load_settings(build_parser().parse_args(list(argv)))


def write_config(text: str) -> Path:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "thinkchat" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.45.6.7",
        "http://127.255.255.254:1",
        "http://localhost:8000",
        "http://LocalHost",
        "http://localhost.:8000",
        "http://[::1]:8000",
        "http://[0:0:0:0:0:0:0:1]",
        "http://[::ffff:127.0.0.1]:8000",
        "http://[::ffff:7f00:2]",
    ],
)
def test_plain_http_to_this_machine_is_fine(url):
    assert cleartext(parse_endpoint(url)) is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (ANOTHER_MACHINE, "10.1.2.3"),
        ("http://192.168.1.20", "192.168.1.20"),
        ("http://proxy.example.com:3128/dashscope", "proxy.example.com"),
        ("HTTP://Example.com", "Example.com"),
        ("http://128.0.0.1", "128.0.0.1"),
        ("http://126.255.255.255", "126.255.255.255"),
        # The resolver may ask a DNS server for these: any address can come back.
        ("http://app.localhost:8000", "app.localhost"),
        ("http://localhost.example.com", "localhost.example.com"),
        ("http://127.0.0.1.example.com", "127.0.0.1.example.com"),
        # Spellings of 127.0.0.1 that the resolver reads, but that are not an address to
        # the rule: refused rather than guessed.
        ("http://127.1", "127.1"),
        ("http://2130706433", "2130706433"),
        ("http://0.0.0.0:8000", "0.0.0.0"),
        ("http://[::]:8000", "[::]"),
        ("http://[::2]", "[::2]"),
        ("http://[::ffff:10.0.0.1]", "[::ffff:10.0.0.1]"),
        ("http://[fe80::1%eth0]:8000", "[fe80::1%eth0]"),
    ],
)
def test_plain_http_to_another_machine_is_cleartext(url, host):
    parsed = parse_endpoint(url)
    assert cleartext(parsed) == Cleartext(parsed, host)


@pytest.mark.parametrize(
    "url", ["https://10.1.2.3:8443", "https://proxy.example.com/x", "HTTPS://app.localhost"]
)
def test_https_to_any_host_is_fine(url):
    assert cleartext(parse_endpoint(url)) is None


def test_an_endpoint_loses_its_trailing_slash_and_surrounding_space():
    assert parse_endpoint("  HTTP://127.0.0.1:8000/  ") == "http://127.0.0.1:8000"
    assert parse_endpoint("https://proxy.example.com/dashscope/") == (
        "https://proxy.example.com/dashscope"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ftp://files.example.com", "ftp:// is not supported"),
        ("ws://127.0.0.1:8000", "ws:// is not supported"),
        ("127.0.0.1:8000", "no scheme: did you mean http://127.0.0.1:8000?"),
        ("localhost:8000/x", "no scheme: did you mean http://localhost:8000/x?"),
        ("proxy.example.com", "no scheme: did you mean https://proxy.example.com?"),
        ("not a url", "expected an http(s) URL"),
        ("", "expected an http(s) URL"),
        ("http://", "names no host"),
        ("http://:8000", "is not a host name"),
        ("http://host:0", "port 0 is out of range"),
        ("http://host:65536", "port 65536 is out of range"),
        ("http://host:port", "is not a host name"),
        ("http://[not-an-address]:80", "is not a host name"),
        ("http://host/v1?key=1", "no query"),
        ("http://host/v1#part", "no query"),
        ("http://host/a\\b", "backslash"),
        # Parsers disagree on which host such a URL names: refused, whatever it means.
        ("http://10.1.2.3\\@127.0.0.1", "user name or password"),
        ("http://127.0.0.1:8000@10.1.2.3", "user name or password"),
    ],
)
def test_what_is_not_an_http_url_of_a_host_is_refused_with_what_to_write(value, expected):
    with pytest.raises(BadEndpoint) as problem:
        parse_endpoint(value)
    assert expected in str(problem.value)


def test_a_bad_endpoint_names_where_it_was_set(monkeypatch):
    with pytest.raises(ConfigError) as problem:
        settings("--endpoint", "127.0.0.1:8000")
    assert str(problem.value) == (
        "--endpoint: endpoint = '127.0.0.1:8000': the URL has no scheme: did you mean "
        "http://127.0.0.1:8000?"
    )
    monkeypatch.setenv("THINKCHAT_ENDPOINT", "ftp://files.example.com")
    with pytest.raises(ConfigError) as problem:
        settings()
    assert str(problem.value).startswith("$THINKCHAT_ENDPOINT: endpoint = 'ftp://files.example")
    path = write_config('endpoint = "example.com"\n')
    monkeypatch.delenv("THINKCHAT_ENDPOINT")
    with pytest.raises(ConfigError) as problem:
        settings()
    assert str(problem.value).startswith(f"{path}:1: endpoint = 'example.com': the URL has no")


def test_a_password_in_the_url_is_not_repeated(monkeypatch):
    monkeypatch.setenv("THINKCHAT_ENDPOINT", "http://me:hunter2@127.0.0.1:8000")
    with pytest.raises(ConfigError) as problem:
        settings()
    assert "user name or password" in str(problem.value)
    assert "hunter2" not in str(problem.value)


# Where the endpoint comes from, and what allows it ----------------------------------------


def test_refused_from_the_command_line_naming_the_flag_and_every_allowance():
    with pytest.raises(ConfigError) as problem:
        settings("--endpoint", ANOTHER_MACHINE)
    message = str(problem.value)
    assert message.startswith(f"the endpoint {ANOTHER_MACHINE} (--endpoint) is plain HTTP")
    assert "10.1.2.3, which is not this machine" in message and "API key" in message
    assert "https://" in message
    assert all(allowance in message for allowance in (*ALLOWANCES, ALLOW_IN_FILE))


def test_refused_from_the_environment_naming_the_variable(monkeypatch):
    monkeypatch.setenv("THINKCHAT_ENDPOINT", ANOTHER_MACHINE)
    with pytest.raises(ConfigError) as problem:
        settings()
    assert f"{ANOTHER_MACHINE} ($THINKCHAT_ENDPOINT)" in str(problem.value)


def test_refused_from_the_file_naming_its_line():
    path = write_config(f'model = "qwen-plus"\nendpoint = "{ANOTHER_MACHINE}"\n')
    with pytest.raises(ConfigError) as problem:
        settings()
    assert f"{ANOTHER_MACHINE} ({path}:2)" in str(problem.value)


@pytest.mark.parametrize(
    ("argv", "environment", "file", "allowed_by"),
    [
        (["--allow-insecure-endpoint"], {}, "", "--allow-insecure-endpoint"),
        ([], {"THINKCHAT_ALLOW_INSECURE_ENDPOINT": "1"}, "", "$THINKCHAT_ALLOW_INSECURE_ENDPOINT"),
        (
            [],
            {"THINKCHAT_ALLOW_INSECURE_ENDPOINT": "yes"},
            "",
            "$THINKCHAT_ALLOW_INSECURE_ENDPOINT",
        ),
        ([], {}, f"\n{ALLOW_IN_FILE}\n", "config.toml:2"),
    ],
)
def test_allowed_on_purpose_gives_one_warning_naming_what_allowed_it(
    monkeypatch, argv, environment, file, allowed_by
):
    write_config(file)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    config = settings("--endpoint", ANOTHER_MACHINE, *argv)
    assert config.endpoint == ANOTHER_MACHINE and config.allow_insecure_endpoint
    (warning,) = config.warnings
    assert warning.startswith(f"the endpoint {ANOTHER_MACHINE} is plain HTTP to 10.1.2.3")
    assert "unencrypted" in warning and warning.endswith(f"{allowed_by}).")


def test_the_environment_can_take_back_what_the_file_allows(monkeypatch):
    write_config(f'endpoint = "{ANOTHER_MACHINE}"\n{ALLOW_IN_FILE}\n')
    assert settings().allow_insecure_endpoint
    monkeypatch.setenv("THINKCHAT_ALLOW_INSECURE_ENDPOINT", "0")
    with pytest.raises(ConfigError, match=r"is plain HTTP to 10\.1\.2\.3"):
        settings()


@pytest.mark.parametrize("value", ["maybe", "2", "y"])
def test_an_allowance_that_is_not_yes_or_no_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("THINKCHAT_ALLOW_INSECURE_ENDPOINT", value)
    with pytest.raises(ConfigError) as problem:
        settings()
    assert str(problem.value).startswith("$THINKCHAT_ALLOW_INSECURE_ENDPOINT: ")
    assert "expected true or false" in str(problem.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://[::1]:8000", "https://10.1.2.3"])
def test_what_keeps_the_key_safe_needs_no_allowance_and_gives_no_warning(url):
    config = settings("--endpoint", url)
    assert config.endpoint == url and config.warnings == ()


def test_demo_does_not_use_the_endpoint_so_it_does_not_refuse_it(monkeypatch):
    monkeypatch.setenv("THINKCHAT_ENDPOINT", ANOTHER_MACHINE)
    assert settings("--demo").warnings == ()


def test_a_config_made_any_other_way_still_never_hands_the_key_to_plain_http(tmp_path):
    config = make_config(None, tmp_path, endpoint=ANOTHER_MACHINE)
    with pytest.raises(ConfigError, match=r"is plain HTTP to 10\.1\.2\.3"):
        config.endpoint_for("singapore")
    allowed = make_config(None, tmp_path, endpoint=ANOTHER_MACHINE, allow_insecure_endpoint=True)
    assert allowed.endpoint_for("singapore").host_root == ANOTHER_MACHINE


# thinkchat ask ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "environment", "origin"),
    [
        (["--endpoint", ANOTHER_MACHINE], {}, "--endpoint"),
        ([], {"THINKCHAT_ENDPOINT": ANOTHER_MACHINE}, "$THINKCHAT_ENDPOINT"),
    ],
)
def test_ask_refuses_with_exit_2_and_one_line(args, environment, origin):
    result = thinkchat("ask", *args, "hi", env=environment)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(f"thinkchat: error: the endpoint {ANOTHER_MACHINE} ({origin})")
    assert "--allow-insecure-endpoint" in stderr
    assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr
    assert DEFAULT_KEY not in stderr
    assert result.stdout == b""


def test_ask_refuses_a_file_endpoint_naming_the_file():
    path = write_config(f'endpoint = "{ANOTHER_MACHINE}"\n')
    result = thinkchat("ask", "hi")
    assert result.returncode == 2
    assert f"({path}:1) is plain HTTP" in result.stderr.decode()


def test_ask_allowed_on_purpose_answers_and_warns_once(simulator):
    simulator.state.enqueue(Script(answer="The answer is 4."))
    url = via_any_address(simulator)
    result = thinkchat("ask", "--endpoint", url, "--allow-insecure-endpoint", "2+2?")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"The answer is 4."
    stderr = result.stderr.decode()
    warning = f"thinkchat: warning: the endpoint {url} is plain HTTP to 0.0.0.0"
    assert stderr.count(warning) == 1 and stderr.count("unencrypted") == 1
    assert "allowed by --allow-insecure-endpoint" in stderr
    assert len(simulator.state.requests) == 1


def test_ask_to_this_machine_by_name_says_nothing(simulator):
    simulator.state.enqueue(Script(answer="ok"))
    url = simulator.url.replace("127.0.0.1", "localhost")
    result = thinkchat("ask", "--endpoint", url, "--no-think", "hi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"ok"
    assert b"warning" not in result.stderr and b"unencrypted" not in result.stderr


# The chat ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "environment"),
    [
        (["--endpoint", ANOTHER_MACHINE], {}),
        ([], {"THINKCHAT_ENDPOINT": ANOTHER_MACHINE}),
    ],
)
def test_the_chat_refuses_before_it_opens_with_a_usage_error(args, environment):
    result = thinkchat(*args, env=environment)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(f"thinkchat: error: the endpoint {ANOTHER_MACHINE}")
    assert "--allow-insecure-endpoint" in stderr
    assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr
    assert result.stdout == b""  # no screen was drawn


async def test_the_chat_allowed_on_purpose_warns_once_and_answers(simulator, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHSCOPE_API_KEY", DEFAULT_KEY)
    simulator.state.enqueue(Script(answer="first"), Script(answer="second"))
    url = via_any_address(simulator)
    config = settings("--endpoint", url, "--allow-insecure-endpoint")
    app = ThinkChatApp(config, store=HistoryStore(tmp_path / "history.sqlite3"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await send(pilot, "one")
        await send(pilot, "two")
        said = [n for n in notifications(app) if "plain HTTP" in n]
        assert said == [config.warnings[0]]
        assert f"the endpoint {url} is plain HTTP to 0.0.0.0" in said[0]
        assert [turn.answer for turn in app.chat_screen.session.conversation.turns] == [
            "first",
            "second",
        ]
    assert len(simulator.state.requests) == 2
