"""The dialog that sends a cut answer again with more room: what happened, and the ways to."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from thinkchat.chat.cut_short import CutShort, Remedy


class ResendDialog(ModalScreen[Remedy | None]):
    """Offers each way to send the cut answer again; the one chosen, or None."""

    DEFAULT_CSS = """
    ResendDialog {
        align: center middle;
        & > Vertical {
            width: 96;
            max-width: 100%;
            height: auto;
            border: round $primary;
            background: $surface;
            padding: 1 2;
        }
        & .title { text-style: bold; }
        & .said { color: $warning; margin-bottom: 1; }
        & OptionList { height: auto; border: none; }
        & .help { color: $text-muted; margin-top: 1; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, cut: CutShort) -> None:
        super().__init__()
        self._cut = cut

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Send it again with more room"), classes="title")
            yield Static(Content(self._cut.sentence), classes="said")
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            remedy.words[0].upper() + remedy.words[1:],
                            (f"  {remedy.why}", "$text-muted"),
                        )
                    )
                    for remedy in self._cut.remedies
                )
            )
            yield Static(
                Content("enter: send it again, in the cut answer's place · escape: cancel"),
                classes="help",
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._cut.remedies[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
