"""Text from a model, made safe to put on a terminal.

Model output is untrusted: an escape sequence in it could recolour the terminal, retitle the
window, write hyperlinks or move the cursor over earlier output. Every control character except
newline and tab is removed (carriage return too, since it lets text overwrite a line), so what
is left of any sequence is inert text.
"""

from __future__ import annotations

import re

# Whole escape sequences first (CSI, OSC and the other string commands, two-byte escapes),
# so they vanish instead of leaving their parameters behind; then any control character left.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c)"  # OSC, DCS, SOS, PM, APC up to their terminator
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]",  # 8-bit CSI
    re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_for_terminal(text: str) -> str:
    """`text` without anything a terminal would act on, other than newline and tab."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
