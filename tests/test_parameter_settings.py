"""Model parameters as the user sets them: the config's [parameters] tables (ranges checked),
the Qwen3 preset that follows thinking as it flips, saving them back, and `ask`'s flags; each
reaching the simulator over real HTTP on both transports."""

from __future__ import annotations

import pytest

from tests.process import thinkchat
from thinkchat.chat.parameters import ParameterError, check_parameter, in_force, parse_parameter
from thinkchat.chat.request import ModelParameters, ModeParameters
from thinkchat.chat.session import ChatSession, ChatSettings, SettingsError
from thinkchat.config.errors import ConfigError
from thinkchat.config.loading import load_config, parse_config
from thinkchat.config.parameters import ParameterSettings, parameter_changes
from thinkchat.config.writer import update_config_file

TRANSPORTS = ["openai", "dashscope"]
QWEN3_THINKING = {"temperature": 0.6, "top_p": 0.95, "top_k": 20}
QWEN3_PLAIN = {"temperature": 0.7, "top_p": 0.8, "top_k": 20}


def sent(simulator, transport: str) -> dict:
    """The model parameters of the simulator's last request, as the wire carried them."""
    body = simulator.state.requests[-1].body
    carried = body if transport == "openai" else body["parameters"]
    names = ("temperature", "top_p", "top_k", "presence_penalty", "max_tokens", "seed")
    return {name: carried[name] for name in names if name in carried}


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_the_preset_follows_thinking_and_the_users_own_values_win(
    simulator, endpoint, transport
):
    settings = ChatSettings(
        model="qwen3-8b",
        transport=transport,
        preset="qwen3",
        parameters=ModeParameters(thinking=ModelParameters(temperature=0.3, seed=7)),
    )
    session = ChatSession(settings, lambda region: endpoint)
    try:
        for prompt, expected in (
            ("think", {**QWEN3_THINKING, "temperature": 0.3, "seed": 7}),
            ("quick /no_think", QWEN3_PLAIN),
        ):
            turn = session.begin(prompt)
            async for _ in session.run(turn):
                pass
            assert sent(simulator, transport) == expected
            assert turn.settings.parameters.sent() == expected
        # Without the preset, only the user's own values go.
        session.settings = session.settings.with_changes(preset=None)
        turn = session.begin("quick /no_think")
        async for _ in session.run(turn):
            pass
        assert sent(simulator, transport) == {}
    finally:
        await session.aclose()


def test_ranges_are_checked_with_the_range_in_the_message():
    assert check_parameter("temperature", 0) == 0
    assert parse_parameter("top_k", " 20 ") == 20
    assert parse_parameter("seed", "") is None
    for name, value, words in (
        ("temperature", 2.0, "temperature = 2.0: expected a number from 0 to below 2"),
        ("top_p", 0, "top_p = 0: expected a number above 0, up to 1"),
        ("top_k", 1.5, "top_k = 1.5: expected a whole number of at least 0"),
        ("presence_penalty", -2.5, "presence_penalty = -2.5: expected a number from -2 to 2"),
        ("max_tokens", 0, "max_tokens = 0: expected a whole number of at least 1"),
        ("seed", 2**31, "expected a whole number from 0 to 2147483647"),
        ("temperature", True, "temperature = True: expected a number"),
    ):
        with pytest.raises(ParameterError, match=words.replace("(", r"\(")):
            check_parameter(name, value)
    with pytest.raises(ParameterError, match="top_p = nan"):
        parse_parameter("top_p", "nan")
    with pytest.raises(SettingsError, match="unknown preset 'qwen9'"):
        ChatSettings(preset="qwen9")


def test_in_force_fills_each_mode_from_the_preset():
    mine = ModeParameters(plain=ModelParameters(top_k=5, max_tokens=100))
    both = in_force(mine, "qwen3")
    assert both.thinking.sent() == QWEN3_THINKING
    assert both.plain.sent() == {**QWEN3_PLAIN, "top_k": 5, "max_tokens": 100}
    assert in_force(mine, None) == mine


CONFIG = """\
model = "qwen3-8b"

[parameters]
preset = "qwen3"

[parameters.thinking]
temperature = 0.5
max_tokens = 8000

[parameters.plain]
seed = 42
"""


def test_the_config_sets_each_modes_parameters_and_the_preset(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path)
    assert config.warnings == ()
    settings = config.chat_session().settings
    assert settings.preset == "qwen3"
    assert settings.parameters.thinking.sent() == {"temperature": 0.5, "max_tokens": 8000}
    assert settings.parameters_in_force.plain.sent() == {**QWEN3_PLAIN, "seed": 42}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "[parameters.thinking]\ntop_p = 1.5\n",
            2,
            "[parameters.thinking] top_p = 1.5: expected a number above 0, up to 1",
        ),
        (
            "[parameters]\npreset = 'qwen2'\n",
            2,
            "[parameters] preset = 'qwen2': expected one of 'qwen3', 'none'",
        ),
        (
            "[parameters.plain]\n\nmax_tokens = 'lots'\n",
            3,
            "[parameters.plain] max_tokens = 'lots': expected a whole number of at least 1",
        ),
        ("[parameters]\nthinking = 3\n", 2, "parameters.thinking must be a table"),
    ],
)
def test_a_bad_parameter_in_the_config_is_pointed_at(tmp_path, text, line, words):
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as raised:
        parse_config(text, path)
    assert str(raised.value) == f"{path}:{line}: {words}"


def test_unknown_parameters_are_warned_about_and_ignored(tmp_path):
    path = tmp_path / "config.toml"
    config = parse_config("[parameters.thinking]\ntemprature = 0.5\n", path)
    assert config.warnings == (f"{path}:2: unknown parameter 'temprature' is ignored",)
    assert config.parameters == ParameterSettings()


def test_saved_as_default_into_nested_tables_keeping_the_rest(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('model = "qwen3-8b"  # my model\n\n[parameters.thinking]\nseed = 1\n')
    chosen = ParameterSettings(
        ModeParameters(thinking=ModelParameters(temperature=0.4), plain=ModelParameters(top_k=30)),
        "qwen3",
    )
    update_config_file(path, parameter_changes(chosen))
    text = path.read_text()
    assert 'model = "qwen3-8b"  # my model' in text
    assert "seed" not in text  # cleared in the dialog: removed from the file
    assert load_config(path).parameters == chosen
    update_config_file(path, parameter_changes(ParameterSettings()))
    assert load_config(path).parameters == ParameterSettings()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ask_flags_reach_the_wire_over_the_configs(simulator, tmp_path, transport):
    config = tmp_path / "config.toml"
    config.write_text("[parameters.plain]\ntemperature = 1.2\npresence_penalty = 1.0\n")
    result = thinkchat(
        "ask",
        "--config",
        str(config),
        "--endpoint",
        simulator.url,
        "--transport",
        transport,
        "--model",
        "qwen3-8b",
        "--no-think",
        "--temperature",
        "0.2",
        "--top-p",
        "0.5",
        "--top-k",
        "3",
        "--seed",
        "9",
        "--max-tokens",
        "500",
        "--preset",
        "qwen3",
        "hi",
    )
    assert result.returncode == 0, result.stderr
    assert sent(simulator, transport) == {
        "temperature": 0.2,
        "top_p": 0.5,
        "top_k": 3,
        "presence_penalty": 1.0,
        "max_tokens": 500,
        "seed": 9,
    }


def test_ask_preset_none_turns_off_the_configs_preset(simulator, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[parameters]\npreset = 'qwen3'\n")
    common = ("ask", "--config", str(config), "--endpoint", simulator.url, "--think")
    assert thinkchat(*common, "--model", "qwen3-8b", "hi").returncode == 0
    assert sent(simulator, "openai") == QWEN3_THINKING
    assert thinkchat(*common, "--model", "qwen3-8b", "--preset", "none", "hi").returncode == 0
    assert sent(simulator, "openai") == {}


def test_ask_refuses_a_value_outside_its_range_and_sends_nothing(simulator):
    result = thinkchat("ask", "--endpoint", simulator.url, "--top-p", "2", "hi")
    assert result.returncode == 2
    assert b"top_p = 2: expected a number above 0, up to 1" in result.stderr
    assert b"Traceback" not in result.stderr
    assert simulator.state.requests == []
