"""Code highlighters built ahead of the first answer, off the stream's path."""

from __future__ import annotations

import subprocess
import sys

# In a fresh interpreter: this one may have highlighted code in other tests. A Pygments
# regular-expression lexer compiles its rules into `_tokens` when it is first instantiated,
# then keeps them for the rest of the process.
_CHECK = """
from pygments.lexer import RegexLexer
from pygments.lexers import get_lexer_by_name
from thinkchat.ui.warm_up import COMMON_LANGUAGES, warm_up_highlighting

classes = {type(get_lexer_by_name(name)) for name in COMMON_LANGUAGES}
compiled = {cls for cls in classes if issubclass(cls, RegexLexer)}
# Getting a lexer by name compiles it: undo that, so that the check starts from nothing.
for cls in compiled:
    del cls._tokens
print(len(compiled), sum("_tokens" in cls.__dict__ for cls in compiled))
warm_up_highlighting()
print(sum("_tokens" in cls.__dict__ for cls in compiled))
"""


def test_the_common_languages_highlighters_are_built_by_the_warm_up():
    done = subprocess.run(
        [sys.executable, "-c", _CHECK], capture_output=True, text=True, timeout=60, check=True
    )
    first, second = done.stdout.splitlines()
    lexers, built_before = map(int, first.split())
    assert lexers >= 4  # most of the common languages are highlighted with compiled rules
    assert built_before == 0
    assert int(second) == lexers
