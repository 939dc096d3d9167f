"""The config file: reading it, every kind of mistake, precedence, and saving it intact."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from thinkchat.catalog import Thinking
from thinkchat.config import writer as config_writer
from thinkchat.config.errors import ConfigError, MissingApiKey
from thinkchat.config.loading import load_config, parse_config
from thinkchat.config.settings import Config, default_config_path
from thinkchat.config.writer import update_config_file
from thinkchat.data import shipped
from thinkchat.ui.keys import ALL_KEYS


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_config_is_valid_and_documents_every_setting(tmp_path):
    example = shipped("config.example.toml")
    text = example.read_text(encoding="utf-8")
    config = parse_config(text, example)
    assert config.warnings == ()
    for setting in (
        "model",
        "region",
        "transport",
        "thinking",
        "budget",
        "theme",
        "reasoning_panel",
        "system_prompt",
        "endpoint",
        "allow_insecure_endpoint",
        "THINKCHAT_ALLOW_INSECURE_ENDPOINT",
        "connect_timeout",
        "read_timeout",
        "retries",
        "[api_keys]",
        "[keys]",
        "toggle_thinking",
        "[prices]",
        "[[prices.model]]",
        "tiers",
        "[parameters.thinking]",
        "[parameters.plain]",
        "preset",
        "DASHSCOPE_API_KEY",
        "Precedence",
    ):
        assert setting in text, setting
    # Uncommented, every commented-out example is valid too: its settings, and its tables of
    # prices (a header, and the closing bracket of a list of tiers).
    uncommented = "\n".join(
        line[2:]
        if line.startswith("# ") and ("=" in line or line.startswith("# [[") or line == "# ]")
        else line
        for line in text.splitlines()
    )
    full = parse_config(uncommented, example)
    assert full.warnings == ()
    assert full.budget == 2000
    assert full.allow_insecure_endpoint is False
    assert set(full.api_keys) == {"singapore", "virginia", "beijing"}
    assert full.bindings == {spec.id: spec.key for spec in ALL_KEYS.values()}
    qwen, tiered = full.prices.prices
    assert qwen.tiers[0].cached_input == 0.2
    assert [tier.up_to for tier in tiered.tiers] == [32000, 128000, None]
    assert full.parameters.preset == "qwen3"
    assert full.parameters.parameters.thinking.max_tokens == 8000
    assert full.parameters.parameters.plain.seed == 42


def test_a_missing_file_gives_the_defaults(tmp_path):
    config = load_config(tmp_path / "nowhere.toml")
    assert (config.model, config.region, config.transport) == ("qwen-plus", "singapore", "openai")
    assert config.thinking is Thinking.AUTO
    assert not config.exists


def test_the_default_location_follows_xdg_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_config_path() == tmp_path / "xdg" / "thinkchat" / "config.toml"
    monkeypatch.setenv("THINKCHAT_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert default_config_path() == tmp_path / "elsewhere.toml"


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ('model = "qwen-plus"\nregion = = "x"\n', 2, "not valid TOML"),
        ('model = "qwen-plus"\nregion = "mars"\n', 2, "region = 'mars': expected one of"),
        ('transport = "grpc"\n', 1, "expected one of openai, dashscope"),
        ('thinking = "sometimes"\n', 1, 'expected "on", "off" or "auto"'),
        ("budget = -5\n", 1, "at least 1 token"),
        ('budget = "lots"\n', 1, "not a whole number"),
        ("model = 42\n", 1, "expected a string"),
        ('reasoning_panel = "sideways"\n', 1, 'expected "open" or "collapsed"'),
        ('endpoint = "ftp://x"\n', 1, "an http(s) URL"),
        ('\n\n[network]\nread_timeout = "slow"\n', 4, "expected a number"),
        ("[network]\nretries = 1.5\n", 2, "expected a whole number"),
        ("[network]\nconnect_timeout = 0\n", 2, "at least 0.1"),
        ('[api_keys]\nmars = "sk-1"\n', 2, "expected a region"),
        ('[api_keys]\nsingapore = { file = "x" }\n', 2, "env ="),
        ("[api_keys]\nsingapore = 12\n", 2, "expected"),
        ('[keys]\ntoggle_thinking = ""\n', 2, "expected a key"),
        ('network = "fast"\n', 1, "must be a table"),
    ],
)
def test_mistakes_are_reported_with_the_file_the_line_and_what_is_expected(
    tmp_path, text, line, expected
):
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as problem:
        load_config(path)
    assert problem.value.path == path
    assert problem.value.line == line
    assert expected in problem.value.message
    assert str(problem.value).startswith(f"{path}:{line}: ")


def test_unknown_settings_and_models_are_warnings_not_failures(tmp_path):
    path = write(
        tmp_path / "config.toml",
        'model = "my-private-model"\ncolour = "blue"\n[network]\nspeed = 3\n',
    )
    config = load_config(path)
    assert config.model == "my-private-model"
    warnings = "\n".join(config.warnings)
    assert f"{path}:2: unknown setting 'colour'" in warnings
    assert f"{path}:4: unknown setting network.speed" in warnings
    assert f"{path}:1:" in warnings and "not in thinkchat's model list" in warnings


def test_precedence_is_flag_then_environment_then_file_then_default(tmp_path, monkeypatch):
    path = write(tmp_path / "config.toml", 'model = "qwen3-8b"\nregion = "virginia"\n')
    assert load_config(path).model == "qwen3-8b"
    monkeypatch.setenv("THINKCHAT_MODEL", "qwen3-14b")
    assert load_config(path).model == "qwen3-14b"
    assert load_config(path).with_overrides(model="qwen3-32b").model == "qwen3-32b"
    assert load_config(path).region == "virginia"  # nothing overrides it


def test_a_bad_environment_value_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("THINKCHAT_REGION", "atlantis")
    with pytest.raises(ConfigError, match=r"\$THINKCHAT_REGION: region = 'atlantis'"):
        load_config(tmp_path / "none.toml")


class TestApiKeys:
    def test_literal_env_and_command_sources(self, tmp_path, monkeypatch):
        script = write(tmp_path / "key.sh", "#!/bin/sh\necho sk-from-command\n")
        script.chmod(0o755)
        path = write(
            tmp_path / "config.toml",
            '[api_keys]\nsingapore = "sk-literal"\n'
            'virginia = { env = "MY_US_KEY" }\n'
            f'beijing = {{ command = "{script}" }}\n',
        )
        path.chmod(0o600)
        monkeypatch.setenv("MY_US_KEY", "sk-from-env")
        config = load_config(path)
        assert config.api_key("singapore").reveal() == "sk-literal"
        assert config.api_key("virginia").reveal() == "sk-from-env"
        assert config.api_key("beijing").reveal() == "sk-from-command"

    def test_the_environment_key_wins(self, tmp_path, monkeypatch):
        path = write(tmp_path / "config.toml", '[api_keys]\nsingapore = "sk-file"\n')
        monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-env")
        assert load_config(path).api_key("singapore").reveal() == "sk-env"

    def test_a_missing_key_says_where_to_put_one(self, tmp_path):
        path = write(tmp_path / "config.toml", '[api_keys]\nbeijing = "sk-bj"\n')
        with pytest.raises(MissingApiKey) as missing:
            load_config(path).api_key("singapore")
        message = str(missing.value)
        assert "DASHSCOPE_API_KEY" in message and str(path) in message
        assert "sk-bj" not in message

    def test_an_unset_variable_is_named(self, tmp_path):
        path = write(tmp_path / "config.toml", '[api_keys]\nsingapore = { env = "NOT_SET_X" }\n')
        with pytest.raises(MissingApiKey, match=r"\$NOT_SET_X"):
            load_config(path).api_key("singapore")

    def test_a_failing_command_does_not_show_its_output(self, tmp_path):
        script = write(tmp_path / "key.sh", "#!/bin/sh\necho sk-leaked-secret\nexit 3\n")
        script.chmod(0o755)
        path = write(
            tmp_path / "config.toml", f'[api_keys]\nsingapore = {{ command = "{script}" }}\n'
        )
        with pytest.raises(ConfigError) as failed:
            load_config(path).api_key("singapore")
        assert "exit 3" in str(failed.value)
        assert "sk-leaked-secret" not in str(failed.value)


class TestSaving:
    USER_FILE = (
        "# My thinkchat settings\n"
        'model = "qwen-plus"   # my usual model\n'
        'theme = "thinkchat-dusk"\n'
        "\n"
        "[network]\n"
        "read_timeout = 120 # slow proxy\n"
        "\n"
        "[keys]\n"
        'toggle_thinking = "f3"\n'
    )

    def test_a_round_trip_keeps_comments_order_and_user_values(self, tmp_path):
        path = write(tmp_path / "config.toml", self.USER_FILE)
        update_config_file(path, {"model": "qwen3-max", "transport": "dashscope", "budget": 300})
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# My thinkchat settings\n")
        assert 'model = "qwen3-max"   # my usual model\n' in text
        assert "read_timeout = 120 # slow proxy" in text
        assert 'toggle_thinking = "f3"' in text
        assert text.index('transport = "dashscope"') < text.index("[network]")
        config = load_config(path)
        assert (config.model, config.transport, config.budget) == ("qwen3-max", "dashscope", 300)
        assert config.theme == "thinkchat-dusk"
        assert config.network.read_timeout == 120
        assert config.bindings == {"toggle_thinking": "f3"}

    def test_removing_a_value_and_adding_a_table(self, tmp_path):
        path = write(tmp_path / "config.toml", self.USER_FILE)
        update_config_file(path, {"theme": None, "api_keys.virginia": "sk-va"})
        config = load_config(path)
        assert config.theme == "thinkchat-dark"  # back to the default
        assert config.api_keys["virginia"].literal == "sk-va"
        assert "# My thinkchat settings" in path.read_text(encoding="utf-8")

    def test_a_file_holding_a_key_is_private(self, tmp_path):
        path = write(tmp_path / "config.toml", 'model = "qwen-plus"\n')
        path.chmod(0o644)
        update_config_file(path, {"model": "qwen3-max"})
        assert stat.S_IMODE(path.stat().st_mode) == 0o644  # no key: left as it was
        update_config_file(path, {"api_keys.singapore": "sk-new"})
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        fresh = tmp_path / "sub" / "config.toml"
        update_config_file(fresh, {"api_keys.beijing": "sk-bj"})
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o600

    @pytest.mark.parametrize(
        "broken", ['model = "qwen-plus"\nregion = = 1\n', 'region = "mars"\n', "model = 3\n"]
    )
    def test_nothing_is_overwritten_while_the_file_is_broken(self, tmp_path, broken):
        path = write(tmp_path / "config.toml", broken)
        with pytest.raises(ConfigError):
            update_config_file(path, {"model": "qwen3-max"})
        assert path.read_text(encoding="utf-8") == broken

    def test_the_write_is_atomic(self, tmp_path):
        path = write(tmp_path / "config.toml", self.USER_FILE)
        update_config_file(path, {"model": "qwen3-max"})
        assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary left

    ODD_FILE = (
        "# Header: kept\n"
        'model="qwen-plus"#no spaces\n'
        '  region   =   "singapore"   # indented, wide\n'
        "theme = 'thinkchat-dusk'  # a literal string\n"
        "network.retries = 2  # a dotted key\n"
        'api_keys = { singapore = "sk-sg", beijing = { env = "BJ_KEY" } }  # inline\n'
        'notes = [ "one", "two",  # inside an array\n'
        '  "three" ]\n'
        "\n"
        "[keys]\n"
        "# bindings: kept\n"
        'toggle_thinking = "f3"  # moved\n'
    )

    def test_every_comment_and_form_is_kept(self, tmp_path):
        path = write(tmp_path / "config.toml", self.ODD_FILE)
        update_config_file(
            path,
            {
                "model": "qwen3-max",
                "region": "beijing",
                "theme": None,
                "network.read_timeout": 30,
                "api_keys.beijing": "sk-bj",
                "api_keys.virginia": "sk-va",
                "budget": 500,
            },
        )
        text = path.read_text(encoding="utf-8")
        for kept in (
            "# Header: kept\n",
            'model="qwen3-max"#no spaces\n',
            '  region   =   "beijing"   # indented, wide\n',
            "network.retries = 2  # a dotted key\nnetwork.read_timeout = 30\n",
            "  # inline\n",
            'notes = [ "one", "two",  # inside an array\n  "three" ]\n',
            "# bindings: kept\n",
            'toggle_thinking = "f3"  # moved\n',
        ):
            assert kept in text
        assert "thinkchat-dusk" not in text
        assert 'api_keys = { singapore = "sk-sg", beijing = "sk-bj", virginia = "sk-va"' in text
        assert text.index("budget = 500") < text.index("[keys]")
        config = load_config(path)
        assert (config.model, config.region, config.budget) == ("qwen3-max", "beijing", 500)
        assert (config.network.retries, config.network.read_timeout) == (2, 30)
        assert config.api_keys["beijing"].literal == "sk-bj"
        assert config.api_keys["singapore"].literal == "sk-sg"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_a_key_source_table_can_become_a_key_and_back(self, tmp_path):
        path = write(
            tmp_path / "config.toml",
            '[api_keys]\nsingapore = { env = "SG_KEY" }  # from the environment\n',
        )
        update_config_file(path, {"api_keys.singapore": "sk-typed"})
        assert path.read_text(encoding="utf-8") == (
            '[api_keys]\nsingapore = "sk-typed"  # from the environment\n'
        )
        update_config_file(path, {"api_keys.singapore": None})
        assert path.read_text(encoding="utf-8") == "[api_keys]\n"

    def test_a_file_with_only_dotted_keys_gets_dotted_keys(self, tmp_path):
        path = write(tmp_path / "config.toml", 'api_keys.singapore = "sk-sg"  # mine\n')
        update_config_file(path, {"api_keys.virginia": "sk-va"})
        assert path.read_text(encoding="utf-8") == (
            'api_keys.singapore = "sk-sg"  # mine\napi_keys.virginia = "sk-va"\n'
        )

    def test_an_edit_that_does_not_say_what_was_meant_is_not_written(self, tmp_path, monkeypatch):
        path = write(tmp_path / "config.toml", self.USER_FILE)
        monkeypatch.setattr(config_writer, "_apply", lambda document, dotted, value: None)
        with pytest.raises(ConfigError, match="could not save model"):
            update_config_file(path, {"model": "qwen3-max"})
        assert path.read_text(encoding="utf-8") == self.USER_FILE

    def test_values_that_need_quoting_survive(self, tmp_path):
        path = write(tmp_path / "config.toml", 'model = "x"  # has a "#" in the comment\n')
        update_config_file(path, {"system_prompt": 'Say "hi" # not a comment\nthen stop'})
        assert load_config(path).system_prompt == 'Say "hi" # not a comment\nthen stop'
        assert load_config(path).model == "x"


def test_config_commands(tmp_path):
    path = tmp_path / "conf" / "config.toml"
    environment = {**os.environ, "THINKCHAT_CONFIG": str(path)}
    shown = subprocess.run(
        [sys.executable, "-m", "thinkchat", "config", "path"],
        capture_output=True,
        env=environment,
        check=True,
    )
    assert shown.stdout.decode().strip() == str(path)
    subprocess.run(
        [sys.executable, "-m", "thinkchat", "config", "init"], env=environment, check=True
    )
    assert path.read_text(encoding="utf-8") == shipped("config.example.toml").read_text(
        encoding="utf-8"
    )
    again = subprocess.run(
        [sys.executable, "-m", "thinkchat", "config", "init"],
        capture_output=True,
        env=environment,
        check=False,
    )
    assert again.returncode == 2
    assert b"already exists" in again.stderr
    assert isinstance(load_config(path), Config)
