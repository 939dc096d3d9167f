"""The pick-list of an answer's code blocks, for copying one."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.ui.code_blocks import CodeBlock
from thinkchat.ui.screens.filtered_list import FilteredList


def _first_line(block: CodeBlock) -> str:
    return next((line.strip() for line in block.code.splitlines() if line.strip()), "")


class CodeBlockPicker(FilteredList[CodeBlock]):
    """Lists the code blocks by number, language, size and first line; typing filters them
    by language or code."""

    TITLE_TEXT = "Copy a code block"
    PLACEHOLDER = "filter by language or code"
    HELP = "↑↓ move · enter copy · escape cancel"

    def __init__(self, blocks: list[CodeBlock]) -> None:
        super().__init__()
        self._blocks = {str(block.number): block for block in blocks}

    def options_for(self, text: str) -> list[Option]:
        wanted = text.strip().lower()
        return [
            Option(self._label(block), id=key)
            for key, block in self._blocks.items()
            if wanted in block.language.lower() or wanted in block.code.lower()
        ]

    @staticmethod
    def _label(block: CodeBlock) -> Content:
        # The code is the model's: shown as text, never as markup or terminal escapes.
        return Content.assemble(
            (f"{block.number}. {block.details}", "bold"),
            "   ",
            (safe_for_terminal(_first_line(block)), "dim"),
        )

    def chosen(self, option_id: str) -> CodeBlock:
        return self._blocks[option_id]
