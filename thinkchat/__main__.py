"""`python -m thinkchat` is the `thinkchat` command."""

import sys

from thinkchat.cli.entry import main

sys.exit(main())
