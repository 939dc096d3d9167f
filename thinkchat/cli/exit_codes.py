"""The exit codes of every `thinkchat` command (DESIGN.md section 3)."""

EXIT_OK = 0
EXIT_FAILED = 1  # the service or the network failed
EXIT_USAGE = 2  # bad usage or configuration
EXIT_INTERRUPTED = 130
