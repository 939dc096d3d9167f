"""The command line: `thinkchat` (the TUI), `ask`, `export` and `config`, and their exit codes.

`entry.main` is the console script; `main` parses the arguments and hands each command to its
module, imported only when that command runs.
"""
