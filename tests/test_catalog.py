"""The catalog, held name by name to the tests' own table of the guide (`tests/guide.py`)."""

from __future__ import annotations

import pytest

from tests import guide
from thinkchat.catalog import (
    ALL_REGIONS,
    FAMILIES,
    REGIONS,
    RULES,
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
from thinkchat.catalog.models import Regions

OFF, ON, ONLY = ThinkingKind.HYBRID_OFF, ThinkingKind.HYBRID_ON, ThinkingKind.THINKING_ONLY
KIND = {guide.HYBRID_OFF: OFF, guide.HYBRID_ON: ON, guide.THINKING_ONLY: ONLY}
GUIDE_MODELS = guide.guide_models()


@pytest.mark.parametrize("model", GUIDE_MODELS, ids=str)
def test_every_model_the_guide_lists_or_implies(model):
    info = lookup(model.name)
    assert info.known, model.words
    assert info.name == model.name
    assert info.kind is KIND[model.mode], model.words
    assert info.budget is model.budget, guide.BUDGET_WORDS
    assert info.soft_switch is model.soft_switch, guide.SOFT_SWITCH_WORDS
    if model.regions is None:
        # The guide names no region: thinkchat assumes every region, and says so.
        assert info.regions == ALL_REGIONS
        assert info.rule is not None and not info.rule.regions.stated
    else:
        assert info.regions == model.regions
        assert info.rule is not None and info.rule.regions.stated
    # The guide's own families state their kind; only older snapshots are assumed.
    assert info.assumed is None or model.name.startswith("qwen3-max-")


def test_each_family_of_the_catalog_quotes_the_guide():
    assert [family.guide for family in FAMILIES] == [family.words for family in guide.GUIDE]


def test_the_listed_models_are_the_guide_names_plus_the_distilled_models():
    listed = [m.name for m in listed_models()]
    named = [m.name for m in guide.guide_models(implied=False)]
    assert [name for name in listed if "distill" not in name] == named
    assert all(
        lookup(name).family_title == "DeepSeek R1 (thinking only)"
        for name in listed
        if "distill" in name
    )


@pytest.mark.parametrize(
    "model", ["qwq-plus-2025-12-01", "qwen3-4b-thinking-2507", "deepseek-r1-0120"]
)
def test_thinking_only_families_never_get_enable_thinking_false(model):
    for thinking in Thinking:
        plan = plan_thinking(model, thinking)
        assert plan.enable_thinking is None and plan.thinking
    assert any("cannot be turned off" in note for note in plan_thinking(model, Thinking.OFF).notes)


def test_an_assumed_list_of_regions_holds_every_region():
    for rule in RULES:
        assert rule.regions.stated or rule.regions.names == ALL_REGIONS
    with pytest.raises(ValueError, match="every region"):
        Regions(("singapore",), stated=False)


@pytest.mark.parametrize(
    ("snapshot", "family", "kind"),
    [
        ("qwen3-max-2026-05-01", "qwen-max", OFF),
        # Snapshots from before the family could think: an assumption, marked as one.
        ("qwen-plus-2025-01-25", "qwen-plus", ThinkingKind.NONE),
        ("qwen-turbo-2024-11-01", "qwen-turbo", ThinkingKind.NONE),
        ("qwen-flash-2025-01-01", "qwen-flash", ThinkingKind.NONE),
        ("qwen3-max-2025-09-23", "qwen-max", ThinkingKind.NONE),
    ],
)
def test_snapshots_the_guide_does_not_cover_are_assumed(snapshot, family, kind):
    info = lookup(snapshot)
    assert info.family is not None and info.family.key == family
    assert info.kind is kind
    assert info.assumed  # the row says what it assumes
    assert not info.soft_switch


def test_names_are_case_and_space_insensitive():
    assert lookup("  QwQ-Plus ").name == "qwq-plus"


def test_unknown_models_are_allowed_as_hybrid_with_a_warning():
    info = lookup("my-finetune-v2")
    assert not info.known
    assert info.kind is OFF
    assert info.regions == ALL_REGIONS
    assert "my-finetune-v2" in (info.warning or "")
    plan = plan_thinking("my-finetune-v2", Thinking.ON, 300)
    assert (plan.enable_thinking, plan.thinking_budget) == (True, 300)
    assert plan.notes and "not in thinkchat's model list" in plan.notes[0]


@pytest.mark.parametrize("model", GUIDE_MODELS, ids=str)
def test_enable_thinking_is_explicit_for_hybrids_and_never_false_for_thinking_only(model):
    kind = KIND[model.mode]
    for thinking in Thinking:
        plan = plan_thinking(model.name, thinking, None)
        if kind is ONLY:
            assert plan.enable_thinking is None, guide.THINKING_ONLY_WORDS
            assert plan.thinking
        else:
            assert isinstance(plan.enable_thinking, bool)
            expected = {Thinking.ON: True, Thinking.OFF: False}.get(thinking, kind is ON)
            assert plan.enable_thinking is expected
            assert plan.thinking is expected


@pytest.mark.parametrize("model", GUIDE_MODELS, ids=str)
def test_budget_is_sent_only_when_thinking_and_supported(model):
    thinking_plan = plan_thinking(model.name, Thinking.ON, 500)
    assert thinking_plan.thinking_budget == (500 if model.budget else None), guide.BUDGET_WORDS
    if model.mode != guide.THINKING_ONLY:
        assert plan_thinking(model.name, Thinking.OFF, 500).thinking_budget is None


def test_thinking_only_refusal_is_explained():
    plan = plan_thinking("qwq-plus", Thinking.OFF)
    assert plan.enable_thinking is None
    assert any("cannot be turned off" in note for note in plan.notes)


def test_an_older_snapshot_is_asked_to_think_when_told_to_since_that_it_cannot_is_assumed():
    assumed = plan_thinking("qwen-plus-2025-01-25", Thinking.ON, 100)
    assert (assumed.enable_thinking, assumed.thinking) == (True, True)
    assert assumed.thinking_budget is None  # not a Qwen3 model
    assert any("may not think" in note and "assumes" in note for note in assumed.notes)
    by_default = plan_thinking("qwen-plus-2025-01-25")
    assert (by_default.enable_thinking, by_default.thinking, by_default.notes) == (None, False, ())


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
