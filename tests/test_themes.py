"""Themes: the shipped ones, the user's own, broken files, the choice saved."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from textual.color import Color
from textual.css.stylesheet import Stylesheet

from tests.tui import make_app, notifications
from thinkchat.data import shipped
from thinkchat.ui.themes import ThemeError, load_themes, parse_theme, theme_folders

SHIPPED = ("thinkchat-dark", "thinkchat-light", "thinkchat-dusk")


def test_three_themes_ship_a_dark_a_light_and_one_more():
    loaded = load_themes([shipped("themes")])
    assert loaded.problems == ()
    themes = {theme.name: theme for theme in loaded.themes}
    assert set(themes) == set(SHIPPED)
    assert themes["thinkchat-dark"].dark and not themes["thinkchat-light"].dark
    for theme in themes.values():
        assert set(theme.variables) == {
            "reasoning-background",
            "reasoning-foreground",
            "reasoning-title-background",
            "reasoning-title-foreground",
        }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('name = "x"\nprimary = \n', "not valid TOML"),
        ('primary = "#123456"\n', "needs a name"),
        ('name = "x"\n', "needs a primary colour"),
        ('name = "x"\nprimary = "not-a-colour"\n', "is not a colour"),
        ('name = "x"\nprimary = "#123456"\nsparkle = "#fff"\n', r"unknown setting\(s\) sparkle"),
        ('name = "x"\nprimary = "#123456"\ndark = "yes"\n', "dark must be true or false"),
        (
            'name = "x"\nprimary = "#123456"\n[reasoning]\nglow = "#fff"\n',
            "unknown reasoning colour",
        ),
    ],
)
def test_broken_theme_files_say_what_is_wrong(text, problem):
    with pytest.raises(ThemeError, match=problem):
        parse_theme(text, "mine.toml")


async def test_user_themes_load_broken_ones_are_reported_and_the_choice_is_saved(
    simulator, tmp_path
):
    user_themes = tmp_path / "themes"
    user_themes.mkdir()
    (user_themes / "mine.toml").write_text(
        'name = "my-theme"\nprimary = "#ff00ff"\ndark = true\n', encoding="utf-8"
    )
    (user_themes / "broken.toml").write_text('name = "oops"\n', encoding="utf-8")
    assert theme_folders(tmp_path / "config.toml")[1] == user_themes
    app = make_app(simulator, tmp_path, theme="thinkchat-dusk")
    async with app.run_test(size=(120, 30)) as pilot:
        assert app.theme == "thinkchat-dusk"
        assert {"my-theme", *SHIPPED, "textual-dark"} <= set(app.available_themes)
        assert any("broken.toml" in n and "primary" in n for n in notifications(app))
        app.theme = "my-theme"  # what the palette's theme switcher does
        await pilot.pause()
        colour = app.get_css_variables()["reasoning-background"]
        assert colour  # themes without reasoning colours still colour the panel
    assert 'theme = "my-theme"' in (tmp_path / "config.toml").read_text(encoding="utf-8")


async def test_an_unknown_theme_falls_back_with_a_warning(simulator, tmp_path):
    app = make_app(simulator, tmp_path, theme="no-such-theme")
    async with app.run_test(size=(120, 30)):
        assert app.theme != "no-such-theme"
        assert any("Unknown theme 'no-such-theme'" in n for n in notifications(app))
    assert not (tmp_path / "config.toml").exists()  # falling back is not a choice to save


def test_the_wheel_ships_the_themes_and_the_example_config(tmp_path):
    root = Path(__file__).parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(root)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("thinkchat-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for theme in SHIPPED:
        assert f"thinkchat/data/themes/{theme}.toml" in names
    assert "thinkchat/data/config.example.toml" in names
    assert any(name.endswith("entry_points.txt") for name in names)


@pytest.mark.parametrize("name", [*SHIPPED, "textual-light"])
async def test_the_configured_theme_is_in_place_at_the_first_frame(tmp_path, monkeypatch, name):
    reparsed: list[object] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparsed.append(self)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = make_app(None, tmp_path, theme=name)
    async with app.run_test(size=(120, 30)):
        theme = app.available_themes[name]
        assert app.theme == name
        assert app.has_class(f"-theme-{name}")
        assert not any(c.startswith("-theme-") and c != f"-theme-{name}" for c in app.classes)
        assert app.has_class("-dark-mode") == theme.dark
        assert app.has_class("-light-mode") == (not theme.dark)
        variables = app.get_css_variables()
        assert app.chat_screen.panel.styles.background == Color.parse(
            variables["reasoning-background"]
        )
        assert app.screen.styles.background == Color.parse(variables["background"])
        palette = app.ansi_theme_dark if theme.dark else app.ansi_theme_light
        assert [f._terminal_theme for f in app.get_line_filters()] == [palette]
        # A theme as dark as Textual's default needs no second parse of the style sheets.
        assert (reparsed == []) == theme.dark
