"""The chat's settings keys: thinking, budget, model parameters, model, region, transport and
the soft switch.

Each change is applied to the session (what the next request uses), shown in the status line,
saved to the config file (model parameters when the user asks) and told to the user. The
dialogs are imported when first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from thinkchat.catalog import SoftSwitch, Thinking, ThinkingKind, lookup, region_label
from thinkchat.chat.session import ChatSession
from thinkchat.chat.transport_registry import other_transport, transport_label
from thinkchat.ui.keys import KeyMap
from thinkchat.ui.widgets.prompt import PromptInput

if TYPE_CHECKING:
    from thinkchat.ui.screens.budget import BudgetChoice
    from thinkchat.ui.screens.parameters import ParametersChoice
    from thinkchat.ui.screens.region_picker import RegionChoice


class SettingsKeys:
    """What each settings key does to the settings of the chat's session."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        keys: KeyMap,
        prompt: PromptInput,
        *,
        endpoint_override: str | None,
        persist: Callable[[dict[str, Any]], None],
        say: Callable[[str, str], None],
        on_change: Callable[[], None],
        on_region: Callable[[], None],
    ) -> None:
        """`persist(changes)` saves settings to the config file; `say(text, severity)` tells
        the user; `on_change()` shows the settings anew; `on_region()` follows a region chosen
        (its key may be missing)."""
        self._app = app
        self._session = session
        self._keys = keys
        self._prompt = prompt
        self._endpoint_override = endpoint_override
        self._persist = persist
        self._say = say
        self._on_change = on_change
        self._on_region = on_region

    def apply(self, **changes: object) -> None:
        """Change what the next request uses, show it, and warm its connection up (another
        region or transport connects anew)."""
        self._session.settings = self._session.settings.with_changes(**changes)
        self._on_change()
        self.warm_up()

    def _change(self, changes: dict[str, Any], saved: dict[str, Any] | None = None) -> None:
        self.apply(**changes)
        self._persist(changes if saved is None else saved)

    def warm_up(self) -> None:
        """Build the next request's SDK client and open its connection in the background
        (`ChatSession.warm_up`: once per transport, silent when it fails), so that the request
        need not wait for either."""
        self._app.run_worker(
            self._session.warm_up(),
            name="warm up the connection",
            group="connection",
            exit_on_error=False,  # it never raises; were it to, the request reports the fault
        )

    def keep_warm(self) -> None:
        """The user is typing: open the next request's connection again if it has been idle
        long enough to have been closed (`ChatSession.keep_warm`), so that the request need
        not wait for a new one. Not once the prompt is sent (and the input cleared): the
        request takes the pooled connection, which the warm-up would otherwise hold."""
        if self._prompt.text and self._session.connection_may_be_stale():
            self._app.run_worker(
                self._session.keep_warm(),
                name="keep the connection warm",
                group="connection",
                exit_on_error=False,  # it never raises
            )

    def toggle_thinking(self) -> None:
        info = lookup(self._session.settings.model)
        if info.kind is ThinkingKind.THINKING_ONLY:
            self._say(f"{info.name} always thinks: thinking cannot be turned off.", "warning")
            return
        enabled = bool(self._session.plan(" ").enable_thinking)
        thinking = Thinking.OFF if enabled else Thinking.ON
        self._change({"thinking": thinking}, {"thinking": thinking.value})
        self._say(f"Thinking {thinking.value} for the next request.", "information")

    def set_budget(self) -> None:
        from thinkchat.ui.screens.budget import BudgetDialog

        settings = self._session.settings
        self._app.push_screen(BudgetDialog(settings.budget, settings.model), self._budget_chosen)

    def _budget_chosen(self, choice: BudgetChoice | None) -> None:
        if choice is not None:
            self._change({"budget": choice.budget})

    def set_parameters(self) -> None:
        from thinkchat.ui.screens.parameters import ParametersDialog

        settings = self._session.settings
        dialog = ParametersDialog(settings.parameters, settings.preset)
        self._app.push_screen(dialog, self._parameters_chosen)

    def _parameters_chosen(self, choice: ParametersChoice | None) -> None:
        if choice is None:
            return
        self.apply(parameters=choice.parameters, preset=choice.preset)
        if choice.save:
            # Imported here: only saving needs the config's names for them.
            from thinkchat.config.parameters import ParameterSettings, parameter_changes

            self._persist(parameter_changes(ParameterSettings(choice.parameters, choice.preset)))
            self._say("Model parameters in use, and saved as the default.", "information")
        else:
            self._say("Model parameters in use until you quit.", "information")

    def choose_model(self) -> None:
        from thinkchat.ui.screens.model_picker import ModelPicker

        self._app.push_screen(ModelPicker(self._session.settings.model), self._model_chosen)

    def _model_chosen(self, model: str | None) -> None:
        if not model:
            return
        info = lookup(model)
        if not info.served_in(self._session.settings.region):
            self._say(
                f"{info.name} is served in {', '.join(map(region_label, info.regions))} only; "
                f"switch region with {self._keys.key_for('choose_region')}.",
                "warning",
            )
        if info.warning:
            self._say(info.warning, "warning")
        self._change({"model": info.name})

    def choose_region(self) -> None:
        from thinkchat.ui.screens.region_picker import RegionPicker

        settings = self._session.settings
        picker = RegionPicker(settings.region, settings.model, self._endpoint_override)
        self._app.push_screen(picker, self._region_chosen)

    def _region_chosen(self, choice: RegionChoice | None) -> None:
        if choice is None:
            return
        changes: dict[str, Any] = {"region": choice.region}
        if choice.model:
            changes["model"] = choice.model
        self._change(changes)
        self._on_region()

    def switch_transport(self) -> None:
        transport = other_transport(self._session.settings.transport)
        self.apply(transport=transport)
        self._persist({"transport": transport})
        self._say(f"The next request goes through the {transport_label(transport)}.", "information")

    def cycle_soft_switch(self) -> None:
        info = lookup(self._session.settings.model)
        toggle_key = self._keys.key_for("toggle_thinking")
        if not info.soft_switch:
            self._say(
                f"{info.name} ignores /think and /no_think: use {toggle_key} to switch thinking.",
                "warning",
            )
            return
        switch = self._prompt.cycle_soft_switch()
        if switch is SoftSwitch.THINK and not self._session.plan(" ").enable_thinking:
            self._say(f"/think only works while thinking is on ({toggle_key}).", "warning")
        self._on_change()
