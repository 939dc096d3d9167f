"""`python -m thinkchat` is the `thinkchat` command."""

import sys

from thinkchat.entry import main

sys.exit(main())
