"""thinkchat's benchmarks: `python -m benchmarks` runs them all and prints one table.

Every figure is a ratio against a baseline measured in the same run (interleaved with it), the
median of several repetitions, printed beside the absolute values and the machine it ran on.
This package imports nothing at import time: child processes started by the benchmarks run
modules of it, and must pay only for what they measure.
"""
