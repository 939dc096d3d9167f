"""The actions that change what the next request uses: thinking, budget, model, region,
transport and the prompt's soft switch. Each change shows at once in the status line and is
saved to the config file."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message

from thinkchat.catalog import SoftSwitch, Thinking, ThinkingKind, lookup
from thinkchat.transports import other_transport, preload
from thinkchat.ui.app_parts import AppParts
from thinkchat.ui.formatting import region_label, transport_label

if TYPE_CHECKING:
    from thinkchat.ui.screens.budget import BudgetChoice
    from thinkchat.ui.screens.region_picker import RegionChoice


class SettingsNotSaved(Message):
    """Writing the config file failed (posted from the settings saver's thread)."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class SettingsActions(AppParts):
    """Mixed into the app: the settings keys (ctrl+t, ctrl+b, ctrl+o, ctrl+r, ctrl+g, ctrl+s)."""

    def apply_settings(self, **changes: object) -> None:
        self.session.settings = self.session.settings.with_changes(**changes)
        self.refresh_status()

    def preload_transport(self) -> None:
        """Import the chosen transport's SDK on a thread, so the next request need not wait."""
        transport = self.session.settings.transport
        self.run_worker(
            partial(preload, transport),
            name=f"preload {transport}",
            group="preload",
            thread=True,
            exit_on_error=False,  # the request itself reports a broken SDK, with a hint
        )

    def persist(self, changes: dict[str, object]) -> None:
        """Save settings changed in the app to the config file (not in the demo), on the
        saver's thread: the key that changed them does not wait for the disk."""
        if not self.config.demo:
            self.settings_saver.save(changes)

    def on_settings_not_saved(self, message: SettingsNotSaved) -> None:
        self.say(message.problem, "warning")

    def action_toggle_thinking(self) -> None:
        settings = self.session.settings
        info = lookup(settings.model)
        if info.kind is ThinkingKind.THINKING_ONLY:
            self.say(f"{info.name} always thinks: thinking cannot be turned off.", "warning")
            return
        enabled = bool(self.session.plan(" ").enable_thinking)
        thinking = Thinking.OFF if enabled else Thinking.ON
        self.apply_settings(thinking=thinking)
        self.persist({"thinking": thinking.value})
        self.say(f"Thinking {thinking.value} for the next request.")

    def action_set_budget(self) -> None:
        settings = self.session.settings
        from thinkchat.ui.screens.budget import BudgetDialog  # dialogs load when first opened

        self.push_screen(BudgetDialog(settings.budget, settings.model), self._budget_chosen)

    def _budget_chosen(self, choice: BudgetChoice | None) -> None:
        if choice is None:
            return
        self.apply_settings(budget=choice.budget)
        self.persist({"budget": choice.budget})

    def action_choose_model(self) -> None:
        from thinkchat.ui.screens.model_picker import ModelPicker

        self.push_screen(ModelPicker(self.session.settings.model), self._model_chosen)

    def _model_chosen(self, model: str | None) -> None:
        if not model:
            return
        info = lookup(model)
        region = self.session.settings.region
        if not info.served_in(region):
            self.say(
                f"{info.name} is served in {', '.join(map(region_label, info.regions))} only; "
                f"switch region with {self.key_for('choose_region')}.",
                "warning",
            )
        if info.warning:
            self.say(info.warning, "warning")
        self.apply_settings(model=info.name)
        self.persist({"model": info.name})

    def action_choose_region(self) -> None:
        settings = self.session.settings
        from thinkchat.ui.screens.region_picker import RegionPicker

        picker = RegionPicker(settings.region, settings.model, self.config.endpoint)
        self.push_screen(picker, self._region_chosen)

    def _region_chosen(self, choice: RegionChoice | None) -> None:
        if choice is None:
            return
        changes: dict[str, object] = {"region": choice.region}
        if choice.model:
            changes["model"] = choice.model
        self.apply_settings(**changes)
        self.persist(changes)
        self.check_key()

    def action_switch_transport(self) -> None:
        transport = other_transport(self.session.settings.transport)
        self.apply_settings(transport=transport)
        self.preload_transport()
        self.persist({"transport": transport})
        self.say(f"The next request goes through the {transport_label(transport)}.")

    def action_cycle_soft_switch(self) -> None:
        info = lookup(self.session.settings.model)
        if not info.soft_switch:
            self.say(
                f"{info.name} ignores /think and /no_think: use {self.key_for('toggle_thinking')} "
                "to switch thinking.",
                "warning",
            )
            return
        switch = self.prompt_input.cycle_soft_switch()
        if switch is SoftSwitch.THINK and not self.session.plan(" ").enable_thinking:
            self.say(
                f"/think only works while thinking is on ({self.key_for('toggle_thinking')}).",
                "warning",
            )
        self.refresh_status()
