"""What a turn costs so far, while it streams: its estimated tokens priced by the session's
prices, marked as an estimate (`~`). The service counts the tokens only at the end."""

from __future__ import annotations

from collections.abc import Callable

from thinkchat.chat.cost import Cost
from thinkchat.chat.events import Usage
from thinkchat.chat.session import ChatSession
from thinkchat.chat.turn import Turn
from thinkchat.ui.token_estimate import estimate_tokens


def live_cost(session: ChatSession, turn: Turn) -> Callable[[int, int], Cost | None]:
    """A function of the estimated reasoning and answer tokens of `turn` so far that gives
    its cost so far (None: no price is known). The input is estimated from the messages sent,
    none of them counted as cached: the estimate errs high."""
    messages = session.conversation.history(turn.prompt, before=turn)
    input_tokens = sum(estimate_tokens(message.content) for message in messages)
    prices = session.prices
    if prices.price_for(turn.settings.model, turn.settings.region) is None:
        return lambda reasoning, answer: None
    from thinkchat.chat.billing import cost_of  # the rules load with the first turn priced

    def cost(reasoning: int, answer: int) -> Cost | None:
        usage = Usage(input_tokens, reasoning + answer, reasoning)
        return cost_of(usage, turn.settings, prices, estimate=True)

    return cost
