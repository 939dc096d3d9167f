"""A local stand-in for Model Studio that speaks both protocols as the guide shows them.

It follows the guide's model rules from a table of its own (`simulator.models`, never
`thinkchat.catalog`), checks the bearer key, records every request (and which connection each
came on: `Visit`), and plays scripted text, pace and faults, so tests, benchmarks and
`--demo` need no real service.
"""

from thinkchat.simulator.runner import Simulator
from thinkchat.simulator.script import Fault, RequestMatch, Script
from thinkchat.simulator.server import DEFAULT_KEY, RecordedRequest, Visit

__all__ = [
    "DEFAULT_KEY",
    "Fault",
    "RecordedRequest",
    "RequestMatch",
    "Script",
    "Simulator",
    "Visit",
]
