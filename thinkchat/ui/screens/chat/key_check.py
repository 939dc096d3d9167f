"""The first run, and any region without a key: the first-run screen asks for one.

A key entered there is used at once (the session's endpoints are made again with it) and, if
the user asks, saved to the config file. Only its masked form is ever shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.app import App

from thinkchat.catalog import region_label
from thinkchat.chat.api_key import mask_key
from thinkchat.chat.session import ChatSession
from thinkchat.config.settings import Config, KeySource

if TYPE_CHECKING:
    from thinkchat.ui.screens.first_run import KeyEntry


class KeyCheck:
    """Asks for a key when the region in use has none."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        *,
        config: Callable[[], Config],
        set_config: Callable[[Config], None],
        use_region: Callable[[str], None],
        persist: Callable[[dict[str, Any]], None],
        say: Callable[[str], None],
    ) -> None:
        """`config()` is the config in force and `set_config` replaces it (with the key
        added); `use_region(region)` switches to the region the key was entered for."""
        self._app = app
        self._session = session
        self._config = config
        self._set_config = set_config
        self._use_region = use_region
        self._persist = persist
        self._say = say

    def ask(self, region: str) -> None:
        """Open the first-run screen for `region`, which has no key (the chat screen checks
        that itself, so that this part is made only when a key is missing)."""
        from thinkchat.ui.screens.first_run import FirstRunScreen  # loads when needed

        self._app.push_screen(FirstRunScreen(region, str(self._config().path)), self._entered)

    def _entered(self, entry: KeyEntry | None) -> None:
        if entry is None:
            self._app.exit()
            return
        config = self._config()
        keys = {**config.api_keys, entry.region: KeySource(literal=entry.key)}
        self._set_config(replace(config, api_keys=keys))
        self._session.forget_endpoints()
        self._use_region(entry.region)
        masked, label = mask_key(entry.key), region_label(entry.region)
        if entry.save:
            self._persist({f"api_keys.{entry.region}": entry.key, "region": entry.region})
            self._say(f"Key {masked} for {label} saved to {config.path}.")
        else:
            self._say(f"Key {masked} for {label} in use until you quit.")
