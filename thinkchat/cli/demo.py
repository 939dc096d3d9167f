"""`--demo`: the simulator in-process on a free port, so the product works without a key."""

from __future__ import annotations

from dataclasses import replace

from thinkchat.chat.api_key import ApiKey
from thinkchat.config.settings import Config
from thinkchat.simulator import DEFAULT_KEY, Script, Simulator

# Slow enough to watch the model think, fast enough not to bore.
DEMO_SCRIPT = Script(delay=0.02, first_delay=0.3)


def start_demo(config: Config, script: Script = DEMO_SCRIPT) -> tuple[Simulator, Config]:
    """Start the simulator and return it with a config that points every region at it.

    No real endpoint or key is touched: the endpoint override and the simulator's own key
    replace whatever the config and the environment say.
    """
    simulator = Simulator(default=script).start()
    demo_config = replace(
        config,
        endpoint=simulator.url,
        api_keys={},
        demo=True,
        demo_key=ApiKey(DEFAULT_KEY),
    )
    return simulator, demo_config
