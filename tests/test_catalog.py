"""The model rules, row by row from the guide's model list."""

from __future__ import annotations

import pytest

from thinkchat.catalog import (
    ALL_REGIONS,
    REGIONS,
    InvalidBudget,
    SoftSwitch,
    Thinking,
    ThinkingKind,
    listed_models,
    lookup,
    parse_budget,
    plan_thinking,
    suggest_model_for,
)

OFF, ON, ONLY = ThinkingKind.HYBRID_OFF, ThinkingKind.HYBRID_ON, ThinkingKind.THINKING_ONLY
EVERYWHERE, BEIJING = ALL_REGIONS, ("beijing",)

# (model, kind, regions, thinking_budget applies, /think and /no_think work)
GUIDE_MODELS = [
    # Qwen-Max series (hybrid, off by default)
    ("qwen3-max", OFF, EVERYWHERE, True, False),
    ("qwen3-max-2026-01-23", OFF, EVERYWHERE, True, False),
    ("qwen3-max-preview", OFF, EVERYWHERE, True, False),
    # Qwen-Plus series
    ("qwen-plus", OFF, EVERYWHERE, True, False),
    ("qwen-plus-latest", OFF, EVERYWHERE, True, False),
    ("qwen-plus-2025-04-28", OFF, EVERYWHERE, True, True),
    # Qwen-Flash series
    ("qwen-flash", OFF, EVERYWHERE, True, False),
    ("qwen-flash-2025-07-28", OFF, EVERYWHERE, True, False),
    # Qwen-Turbo series
    ("qwen-turbo", OFF, EVERYWHERE, True, False),
    ("qwen-turbo-latest", OFF, EVERYWHERE, True, False),
    ("qwen-turbo-2025-04-28", OFF, EVERYWHERE, True, True),
    # Qwen3 open source, hybrid on by default
    ("qwen3-235b-a22b", ON, EVERYWHERE, True, True),
    ("qwen3-32b", ON, EVERYWHERE, True, True),
    ("qwen3-30b-a3b", ON, EVERYWHERE, True, True),
    ("qwen3-14b", ON, EVERYWHERE, True, True),
    ("qwen3-8b", ON, EVERYWHERE, True, True),
    ("qwen3-4b", ON, EVERYWHERE, True, True),
    ("qwen3-1.7b", ON, EVERYWHERE, True, True),
    ("qwen3-0.6b", ON, EVERYWHERE, True, True),
    # Qwen3 open source, thinking only
    ("qwen3-next-80b-a3b-thinking", ONLY, EVERYWHERE, True, False),
    ("qwen3-235b-a22b-thinking-2507", ONLY, EVERYWHERE, True, False),
    ("qwen3-30b-a3b-thinking-2507", ONLY, EVERYWHERE, True, False),
    # QwQ (Qwen2.5 based), thinking only
    ("qwq-plus", ONLY, EVERYWHERE, False, False),
    ("qwq-plus-latest", ONLY, EVERYWHERE, False, False),
    ("qwq-plus-2025-03-05", ONLY, EVERYWHERE, False, False),
    ("qwq-32b", ONLY, EVERYWHERE, False, False),
    # DeepSeek (Beijing)
    ("deepseek-v3.2", OFF, BEIJING, False, False),
    ("deepseek-v3.2-exp", OFF, BEIJING, False, False),
    ("deepseek-v3.1", OFF, BEIJING, False, False),
    ("deepseek-r1", ONLY, BEIJING, False, False),
    ("deepseek-r1-0528", ONLY, BEIJING, False, False),
    ("deepseek-r1-distill-qwen-7b", ONLY, BEIJING, False, False),
    # Kimi (Beijing)
    ("kimi-k2-thinking", ONLY, BEIJING, True, False),
]


@pytest.mark.parametrize(("model", "kind", "regions", "budget", "soft_switch"), GUIDE_MODELS)
def test_every_model_of_the_guide(model, kind, regions, budget, soft_switch):
    info = lookup(model)
    assert info.known
    assert info.kind is kind
    assert info.regions == regions
    assert info.budget is budget
    assert info.soft_switch is soft_switch


def test_the_listed_models_are_exactly_the_guide_rows_plus_named_distills():
    listed = {m.name for m in listed_models()}
    assert {row[0] for row in GUIDE_MODELS} <= listed
    assert all(name in {r[0] for r in GUIDE_MODELS} or "distill" in name for name in listed)


@pytest.mark.parametrize(
    ("snapshot", "family", "kind", "soft_switch"),
    [
        ("qwen-plus-2025-07-14", "qwen-plus", OFF, False),
        ("qwen-plus-2025-12-01", "qwen-plus", OFF, False),
        ("qwen-turbo-2025-07-15", "qwen-turbo", OFF, False),
        ("qwen-flash-2025-09-01", "qwen-flash", OFF, False),
        ("qwen3-max-2026-05-01", "qwen-max", OFF, False),
        # Snapshots from before the family could think.
        ("qwen-plus-2025-01-25", "qwen-plus", ThinkingKind.NONE, False),
        ("qwen-turbo-2024-11-01", "qwen-turbo", ThinkingKind.NONE, False),
    ],
)
def test_snapshots_resolve_to_their_family(snapshot, family, kind, soft_switch):
    info = lookup(snapshot)
    assert info.known
    assert info.family is not None
    assert info.family.key == family
    assert info.kind is kind
    assert info.soft_switch is soft_switch


def test_names_are_case_and_space_insensitive():
    assert lookup("  QwQ-Plus ").name == "qwq-plus"


def test_unknown_models_are_allowed_as_hybrid_with_a_warning():
    info = lookup("my-finetune-v2")
    assert not info.known
    assert info.kind is OFF
    assert info.regions == EVERYWHERE
    assert "my-finetune-v2" in (info.warning or "")
    plan = plan_thinking("my-finetune-v2", Thinking.ON, 300)
    assert (plan.enable_thinking, plan.thinking_budget) == (True, 300)
    assert plan.notes and "not in thinkchat's model list" in plan.notes[0]


@pytest.mark.parametrize(("model", "kind", "regions", "budget", "soft_switch"), GUIDE_MODELS)
def test_enable_thinking_is_explicit_for_hybrids_and_never_false_for_thinking_only(
    model, kind, regions, budget, soft_switch
):
    for thinking in Thinking:
        plan = plan_thinking(model, thinking, None)
        if kind is ONLY:
            assert plan.enable_thinking is None
            assert plan.thinking
        else:
            assert isinstance(plan.enable_thinking, bool)
            expected = {Thinking.ON: True, Thinking.OFF: False}.get(thinking, kind is ON)
            assert plan.enable_thinking is expected
            assert plan.thinking is expected


@pytest.mark.parametrize(("model", "kind", "regions", "budget", "soft_switch"), GUIDE_MODELS)
def test_budget_is_sent_only_when_thinking_and_supported(model, kind, regions, budget, soft_switch):
    thinking_plan = plan_thinking(model, Thinking.ON, 500)
    assert thinking_plan.thinking_budget == (500 if budget else None)
    if kind is not ONLY:
        assert plan_thinking(model, Thinking.OFF, 500).thinking_budget is None


def test_thinking_only_refusal_is_explained():
    plan = plan_thinking("qwq-plus", Thinking.OFF)
    assert plan.enable_thinking is None
    assert any("cannot be turned off" in note for note in plan.notes)


def test_snapshot_without_thinking_sends_nothing_and_says_so():
    plan = plan_thinking("qwen-plus-2025-01-25", Thinking.ON, 100)
    assert (plan.enable_thinking, plan.thinking_budget, plan.thinking) == (None, None, False)
    assert any("cannot think" in note for note in plan.notes)


class TestSoftSwitches:
    def test_latest_switch_in_the_conversation_wins(self):
        history = ["explain /no_think", "and now?", "really /think"]
        plan = plan_thinking("qwen3-8b", Thinking.ON, None, history)
        assert plan.thinking and plan.soft_switch is SoftSwitch.THINK
        plan = plan_thinking("qwen3-8b", Thinking.ON, None, ["/think a", "b /no_think"])
        assert not plan.thinking and plan.soft_switch is SoftSwitch.NO_THINK
        assert plan.enable_thinking is True  # the switch needs enable_thinking on

    def test_the_last_switch_within_one_message_wins(self):
        plan = plan_thinking("qwen3-8b", Thinking.ON, None, ["/think then /no_think"])
        assert not plan.thinking

    def test_no_think_drops_the_budget(self):
        plan = plan_thinking("qwen-plus-2025-04-28", Thinking.ON, 200, ["hi /no_think"])
        assert plan.thinking_budget is None and not plan.thinking

    def test_switch_has_no_effect_while_thinking_is_off(self):
        plan = plan_thinking("qwen3-8b", Thinking.OFF, None, ["/think please"])
        assert not plan.thinking and plan.soft_switch is None
        assert any("only works while thinking is on" in note for note in plan.notes)

    @pytest.mark.parametrize(
        "model", ["qwen-plus", "qwen-plus-2025-07-14", "qwq-plus", "deepseek-r1"]
    )
    def test_models_that_ignore_switches(self, model):
        plan = plan_thinking(model, Thinking.ON, None, ["/no_think"])
        assert plan.soft_switch is None
        assert plan.thinking  # thinking stays as the setting says
        assert any("ignores /no_think" in note for note in plan.notes)

    @pytest.mark.parametrize("text", ["path/think", "/thinking", "a/no_think", "http://x/think"])
    def test_lookalikes_are_not_switches(self, text):
        assert plan_thinking("qwen3-8b", Thinking.ON, None, [text]).soft_switch is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), ("  ", None), ("500", 500), (" 1_000 ", 1000), (None, None), (42, 42)],
)
def test_parse_budget_accepts(text, expected):
    assert parse_budget(text) == expected


@pytest.mark.parametrize("text", ["0", "-5", "1e3", "abc", "12.5", 0, -1, True])
def test_parse_budget_refuses_with_a_reason(text):
    with pytest.raises(InvalidBudget) as refused:
        parse_budget(text)
    assert str(refused.value)


def test_regions_and_suggestions():
    assert set(REGIONS) == {"singapore", "virginia", "beijing"}
    assert REGIONS["beijing"].host == "https://dashscope.aliyuncs.com"
    assert suggest_model_for("singapore", "deepseek-r1") == "qwen3-next-80b-a3b-thinking"
    assert suggest_model_for("singapore", "deepseek-v3.2") == "qwen3-max"
    assert suggest_model_for("beijing", "qwen-plus") == "qwen-plus"
