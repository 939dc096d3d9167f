"""`python -m thinkchat` is the `thinkchat` command."""

import sys

from thinkchat.cli import main

sys.exit(main())
