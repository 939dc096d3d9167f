"""The box every larger dialog is drawn in, in the middle of the screen."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

Result = TypeVar("Result")


class DialogBox(ModalScreen[Result]):
    """A modal dialog whose content is one `Vertical`, drawn as a box over the app; its
    `.title` and its buttons (in a `Horizontal`) look alike in every dialog. A subclass styles
    what is its own, and may size the box (`& > Vertical { width: … }`)."""

    DEFAULT_CSS = """
    DialogBox {
        align: center middle;
        & > Vertical {
            width: 80;
            max-width: 95%;
            height: auto;
            border: round $primary;
            background: $surface;
            padding: 1 2;
        }
        & .title { text-style: bold; }
        & Horizontal { height: auto; margin-top: 1; }
        & Button { margin-right: 2; }
    }
    """
