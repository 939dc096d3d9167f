"""Every model the guide lists or implies, asked every way through the engine to the simulator.

The catalog plans each request; the simulator answers by its own table of the guide. So a
catalog rule that disagrees with the guide shows here as a refused request (say
`enable_thinking: false` sent to a thinking-only model) or as a plan that expected thinking
where the model did not think, or the other way round.
"""

from __future__ import annotations

import pytest

from tests import guide
from thinkchat.catalog import Thinking
from thinkchat.chat.session import ChatSession, ChatSettings, SettingsError
from thinkchat.chat.turn import TurnStatus
from thinkchat.simulator import Script
from thinkchat.simulator.text import tokens

BUDGET = 5
# (thinking setting, budget, prompt)
ASKED = [
    (Thinking.AUTO, None, "hi"),
    (Thinking.OFF, None, "hi"),
    (Thinking.ON, BUDGET, "hi"),
    (Thinking.ON, None, "hi /no_think"),
]


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
@pytest.mark.parametrize("model", guide.guide_models(), ids=str)
async def test_the_catalogs_plan_matches_what_the_service_does(
    simulator, endpoint, model, transport
):
    region = model.regions[0] if model.regions else "virginia"
    simulator.state.region = region
    session = ChatSession(
        ChatSettings(model=model.name, region=region, transport=transport), lambda r: endpoint
    )
    try:
        for thinking, budget, prompt in ASKED:
            simulator.state.enqueue(Script(reasoning_tokens=20, answer_tokens=3))
            session.settings = session.settings.with_changes(thinking=thinking, budget=budget)
            turn = session.begin(prompt)
            async for _ in session.run(turn):
                pass
            asked = f"{model.name} with thinking {thinking.value}, budget {budget}, {prompt!r}"
            assert turn.status is TurnStatus.DONE, (asked, turn.error)
            assert bool(turn.reasoning) is turn.settings.expect_reasoning, asked
            if budget and turn.reasoning:
                cut = len(tokens(turn.reasoning)) == BUDGET
                assert cut is model.budget, (asked, guide.BUDGET_WORDS)
    finally:
        await session.aclose()


@pytest.mark.parametrize(
    "model", [m for m in guide.guide_models() if m.regions == ("beijing",)], ids=str
)
def test_models_the_guide_serves_in_beijing_only_are_refused_elsewhere(endpoint, model):
    for region in ("singapore", "virginia"):
        session = ChatSession(ChatSettings(model=model.name, region=region), lambda r: endpoint)
        with pytest.raises(SettingsError, match="Beijing"):
            session.begin("hi")
