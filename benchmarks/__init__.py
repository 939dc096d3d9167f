"""thinkchat's benchmarks: `python -m benchmarks` runs them all and prints one table.

Every figure is a ratio against a baseline measured in the same run (interleaved with it), the
median of several repetitions, printed beside the absolute values and the machine it ran on.
This package imports nothing else at import time: child processes started by the benchmarks
run modules of it, and must pay only for what they measure. The one import is thinkchat's UI
package, which only sets Textual's frame cap (see `thinkchat.ui`). The app gets that setting
when it is launched, and the benchmarks that run it in this process must run it the same way.
So it has to come before any benchmark module imports Textual.
"""

import thinkchat.ui  # noqa: F401  (sets Textual's frame cap, as launching the app does)
