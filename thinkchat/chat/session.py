"""The engine's front door: settings, a conversation, and running turns over a transport."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from thinkchat.catalog import (
    DEFAULT_MODEL,
    REGIONS,
    Thinking,
    ThinkingPlan,
    lookup,
    plan_thinking,
    region_label,
)
from thinkchat.chat.conversation import Conversation
from thinkchat.chat.errors import ChatError
from thinkchat.chat.events import RetryWait, StreamError, TurnEvent, Usage
from thinkchat.chat.request import NO_MODE_PARAMETERS, ChatRequest, Endpoint, ModeParameters
from thinkchat.chat.retry import NO_RETRIES, RetryPolicy
from thinkchat.chat.transport_registry import TRANSPORTS, create_transport
from thinkchat.chat.turn import Timings, Turn, TurnSettings

if TYPE_CHECKING:
    # The presets, the prices and the billing rules are imported where first used: a preset
    # chosen, a turn priced. Start-up needs none of them; nor the transports' base class,
    # which comes with the first transport.
    from thinkchat.chat.cost import Cost
    from thinkchat.chat.prices import PriceTable
    from thinkchat.chat.transport import Transport


class SettingsError(ValueError):
    """Settings that cannot make a request (a model its region does not serve, say)."""


@dataclass(frozen=True)
class ChatSettings:
    """What the next request will use."""

    model: str = DEFAULT_MODEL
    region: str = "singapore"
    transport: str = "openai"
    thinking: Thinking = Thinking.AUTO
    budget: int | None = None
    # The user's own model parameters, and the preset whose values fill the ones left unset.
    parameters: ModeParameters = NO_MODE_PARAMETERS
    preset: str | None = None

    def __post_init__(self) -> None:
        if self.region not in REGIONS:
            raise SettingsError(
                f"unknown region {self.region!r} (choose one of: {', '.join(REGIONS)})"
            )
        if self.transport not in TRANSPORTS:
            raise SettingsError(
                f"unknown transport {self.transport!r} (choose one of: {', '.join(TRANSPORTS)})"
            )
        if self.preset is not None:
            from thinkchat.chat.parameters import PRESETS

            if self.preset not in PRESETS:
                raise SettingsError(
                    f"unknown preset {self.preset!r} (choose one of: {', '.join(PRESETS)})"
                )

    @property
    def parameters_in_force(self) -> ModeParameters:
        """The parameters requests are sent with: the user's, then the preset's."""
        if self.preset is None:
            return self.parameters  # what `in_force` gives without a preset
        from thinkchat.chat.parameters import in_force

        return in_force(self.parameters, self.preset)

    def with_changes(self, **changes: object) -> ChatSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


def region_problem(model: str, region: str) -> str | None:
    """Why `region` cannot serve `model`, or None when it can."""
    info = lookup(model)
    if info.served_in(region):
        return None
    where = ", ".join(map(region_label, info.regions))
    return f"{info.name} is served in {where} only, not in {region_label(region)}."


EndpointResolver = Callable[[str], Endpoint]


def cost_of(usage: Usage, settings: TurnSettings, prices: PriceTable) -> Cost | None:
    """`billing.cost_of`, imported with the first turn priced."""
    from thinkchat.chat.billing import cost_of as billed

    return billed(usage, settings, prices)


def _no_prices() -> PriceTable:
    """No price known: a session's prices when it is given none."""
    from thinkchat.chat.prices import NO_PRICES

    return NO_PRICES


class ChatSession:
    """Runs the turns of one conversation with the current settings.

    `endpoints` gives the endpoint (host and API key) of a region; it may raise to say that a
    key is missing. Transports are created on first use and reused while settings stay put.
    `prices` reads the price table, when `prices` is first asked for (a turn priced, or the
    chat screen's preload once it is up): start-up does not read it.
    """

    def __init__(
        self,
        settings: ChatSettings,
        endpoints: EndpointResolver,
        conversation: Conversation | None = None,
        clock: Callable[[], float] = time.monotonic,
        retry: RetryPolicy = NO_RETRIES,
        prices: Callable[[], PriceTable] = _no_prices,
    ) -> None:
        self.settings = settings
        self.retry = retry
        self.conversation = conversation or Conversation()
        self.clock = clock
        self._endpoints = endpoints
        self._transports: dict[tuple[str, str], Transport] = {}
        self._closing: set[asyncio.Future[None]] = set()
        self._read_prices = prices
        self._prices: PriceTable | None = None

    @property
    def prices(self) -> PriceTable:
        """The price table turns are priced by (`billing.cost_of`)."""
        if self._prices is None:
            self._prices = self._read_prices()
        return self._prices

    def plan(
        self, prompt: str, before: Turn | None = None, settings: ChatSettings | None = None
    ) -> ThinkingPlan:
        """The thinking parameters `prompt` would be sent with now (with `settings`, or the
        session's)."""
        settings = settings or self.settings
        return plan_thinking(
            settings.model,
            settings.thinking,
            settings.budget,
            self.conversation.user_messages(prompt, before),
        )

    def check(self, prompt: str, settings: ChatSettings | None = None) -> None:
        """Raise what `begin` would raise for `prompt` with `settings` (or the session's):
        `SettingsError` when they cannot make the request, and whatever the endpoint resolver
        raises when the region has no key. A comparison checks every variant before it begins
        any."""
        settings = settings or self.settings
        if not prompt.strip():
            raise SettingsError("the prompt is empty")
        problem = region_problem(settings.model, settings.region)
        if problem:
            raise SettingsError(problem)
        self._transport(settings.transport, settings.region)

    def begin(
        self, prompt: str, replacing: Turn | None = None, settings: ChatSettings | None = None
    ) -> Turn:
        """Add a turn for `prompt` to the conversation; `run` streams it.

        `replacing`: a turn of the conversation whose place the new one takes, and which is
        kept as its alternative (an edited prompt sent again). `settings`: other settings than
        the session's, for this turn only. Raises as `check` does, before anything is added.
        """
        settings = settings or self.settings
        self.check(prompt, settings)
        turn = self._new_turn(prompt, settings, before=replacing)
        self.conversation.add(turn, replacing)
        return turn

    def begin_alternative(self, of: Turn, settings: ChatSettings) -> Turn:
        """Another answer for `of`'s prompt and place, asked with `settings`: a turn kept
        among `of`'s alternatives, sent the same history. Raises as `check` does."""
        self.check(of.prompt, settings)
        turn = self._new_turn(of.prompt, settings, before=of)
        of.alternatives.append(turn)
        return turn

    def turn_settings(
        self, prompt: str, settings: ChatSettings, before: Turn | None = None
    ) -> TurnSettings:
        """How `prompt` would be asked with `settings`: the user's choices and the wire's."""
        plan = self.plan(prompt, before, settings)
        return TurnSettings(
            model=plan.model.name,
            region=settings.region,
            transport=settings.transport,
            thinking=settings.thinking,
            budget=settings.budget,
            enable_thinking=plan.enable_thinking,
            thinking_budget=plan.thinking_budget,
            expect_reasoning=plan.thinking,
            soft_switch=plan.soft_switch,
            parameters=settings.parameters_in_force.for_mode(plan.thinking),
        )

    def _new_turn(self, prompt: str, settings: ChatSettings, before: Turn | None) -> Turn:
        turn_settings = self.turn_settings(prompt, settings, before)
        return Turn(prompt, turn_settings, timings=Timings(clock=self.clock))

    async def run(self, turn: Turn) -> AsyncIterator[TurnEvent]:
        """Stream `turn`, recording every event in it and, once the service counts its
        tokens, its cost; cancelling keeps what arrived.

        A failure before the first token is retried as the retry policy says, with a
        `RetryWait` event before each wait.
        """
        settings = turn.settings
        request = ChatRequest(
            model=settings.model,
            messages=self.conversation.history(turn.prompt, before=turn),
            enable_thinking=settings.enable_thinking,
            thinking_budget=settings.thinking_budget,
            expect_reasoning=settings.expect_reasoning,
            parameters=settings.parameters,
        )
        transport = self._transport(settings.transport, settings.region)
        attempts = self.retry.retries + 1
        try:
            with transport.in_use():
                for attempt in range(1, attempts + 1):
                    failure: ChatError | None = None
                    async with aclosing(transport.stream(request)) as events:
                        async for event in events:
                            if isinstance(event, StreamError) and self.retry.should_retry(
                                event.error, attempt, turn.has_text
                            ):
                                failure = event.error
                                break
                            turn.apply(event)
                            if isinstance(event, Usage):
                                turn.cost = cost_of(event, settings, self.prices)
                            yield event
                    if failure is None:
                        return
                    # The turn shows why it is waiting; a later success clears it.
                    turn.error = failure
                    delay = self.retry.delay(failure, attempt)
                    wait = RetryWait(failure, attempt, attempts, delay)
                    yield wait
                    await asyncio.sleep(wait.delay)
                    turn.error = None
        finally:
            # Cancelled, or the consumer stopped reading: what arrived stays in the turn.
            turn.cancel()

    def _transport(self, name: str, region: str) -> Transport:
        key = (name, region)
        if key not in self._transports:
            self._transports[key] = create_transport(name, self._endpoints(region))
        return self._transports[key]

    async def warm_up(self) -> None:
        """Make the transport the next request will use, build its SDK client and open its
        connection to the host, so that the request pays for none of it. Each transport warms
        up once: again after a change of region or transport (another transport) or of keys
        or endpoints (`forget_endpoints`). Never raises: a region without a key, or a host
        that cannot be reached, is left for the request to report.
        """
        settings = self.settings
        key = (settings.transport, settings.region)
        transport = self._transports.get(key)
        if transport is None:
            try:
                # On a thread: the key may come from a command, and the transport module is
                # imported here the first time.
                transports = self._transports
                made = await asyncio.to_thread(
                    lambda: create_transport(settings.transport, self._endpoints(settings.region))
                )
            except Exception:  # no key for the region: the request asks for one
                return
            if transports is not self._transports:
                return  # the endpoints were forgotten meanwhile: the next warm-up uses the new
            # A request may have made it meanwhile: that one is warmed up.
            transport = transports.setdefault(key, made)
        await transport.warm_up()

    def connection_may_be_stale(self) -> bool:
        """Whether the next request's connection, warmed up or used before, may since have
        been closed for idleness (`Transport.may_be_stale`); cheap enough for every key."""
        transport = self._next_transport()
        return transport is not None and transport.may_be_stale()

    async def keep_warm(self) -> None:
        """Open the next request's connection again if it may be stale: the user is typing
        the prompt that will need it. Never raises."""
        transport = self._next_transport()
        if transport is not None:
            await transport.keep_warm()

    def _next_transport(self) -> Transport | None:
        """The transport the next request will use, if it has been made."""
        return self._transports.get((self.settings.transport, self.settings.region))

    def forget_endpoints(self) -> None:
        """Drop the transports made so far: keys or endpoints changed, and the next request
        must use the new ones. The old connections close in the background."""
        stale, self._transports = list(self._transports.values()), {}
        for transport in stale:
            task = asyncio.ensure_future(transport.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        """Close every transport's connections."""
        transports, self._transports = list(self._transports.values()), {}
        for transport in transports:
            await transport.aclose()
