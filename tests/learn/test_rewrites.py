"""Rephrase detection and the rewrite decisions, on turns and a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.learn import rewrites
from assistant.learn.markov import FAILURE, SUCCESS
from assistant.learn.rewrites import RewritePolicy, build_counts, find_rephrase, learn_rewrites
from assistant.memory import learned
from assistant.memory.history import record_turn
from assistant.memory.store import Store
from tests.learn.helpers import make_turn, row


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "assistant.db")


def test_failed_request_followed_by_similar_success_is_a_rephrase() -> None:
    failed = make_turn("lamp please", at=100, outcome="failure")
    retry = make_turn("turn on the lamp please", at=108, intent="light.on")
    found = find_rephrase(retry, [failed])
    assert found is not None and found[0] is failed


def test_rephrase_skips_conversation_words_in_between() -> None:
    wrong = make_turn("play jars", at=100, intent="media.play", feedback={"negated": True})
    no = make_turn("no that's wrong", at=103, intent="dialogue.wrong", source="dialogue")
    retry = make_turn("play jazz", at=106, intent="media.play")
    found = find_rephrase(retry, [wrong, no])
    assert found is not None and found[0] is wrong


def test_a_success_is_not_repaired_by_the_next_request() -> None:
    done = make_turn("turn on the lamp", at=100, intent="light.on")
    assert find_rephrase(make_turn("turn on the fan", at=104, intent="fan.on"), [done]) is None


def test_too_late_is_not_a_rephrase() -> None:
    failed = make_turn("lamp please", at=100, outcome="failure")
    assert find_rephrase(make_turn("turn on the lamp", at=200, intent="light.on"), [failed]) is None


def test_unrelated_request_is_not_a_rephrase() -> None:
    failed = make_turn("lamp please", at=100, outcome="failure")
    assert find_rephrase(make_turn("what time is it", at=105, intent="time.now"), [failed]) is None


def test_recogniser_alternative_counts_as_a_rephrase() -> None:
    failed = make_turn(
        "turn on the lump", at=100, outcome="failure", feedback={"asr_alternatives": ["turn on the lamp"]}
    )
    found = find_rephrase(make_turn("turn on the lamp", at=104, intent="light.on"), [failed])
    assert found is not None and found[1].from_alternatives


def test_chain_counts_rephrase_edges_and_outcomes() -> None:
    rows = [
        row("lamp please", "failure", rephrased=True),
        row("turn on the lamp", "success", rephrase_of="lamp please"),
        row("turn on the lamp", "success"),
        row("what time is it", "success"),
    ]
    counts, support = build_counts(rows)
    assert support == {("lamp please", "turn on the lamp"): 1}
    assert counts.count("turn on the lamp", "<success>") == 2
    assert "what time is it" not in counts.states()


def _teach(store: Store, times: int, start: float = 1000.0) -> None:
    """Store ``times`` sessions of: "lamp please" fails, "turn on the lamp" works."""
    for index in range(times):
        at = start + index * 600
        failed = make_turn(
            "lamp please",
            at=at,
            outcome="failure",
            failure_stage="understanding",
            feedback={"rephrased": True},
        )
        record_turn(store, failed)
        record_turn(
            store,
            make_turn(
                "turn on the lamp",
                at=at + 5,
                intent="light.on",
                feedback={"rephrase_of": failed.turn_id, "rephrase_of_text": "lamp please"},
            ),
        )


def test_one_rephrase_is_not_enough_to_trust(store: Store) -> None:
    _teach(store, 1)
    changed = learn_rewrites(store, RewritePolicy(), now=5000)
    assert [(r.source_text, r.target_text, r.status) for r in changed] == [
        ("lamp please", "turn on the lamp", "candidate")
    ]


def test_repeated_rephrases_are_trusted(store: Store) -> None:
    _teach(store, 3)
    learn_rewrites(store, RewritePolicy(), now=5000)
    rewrite = learned.active_rewrite(store, "lamp please")
    assert rewrite is not None and rewrite.status == "trusted"
    assert rewrite.probability >= 0.75 and rewrite.evidence["support"] == 3


def test_rejected_rewrite_stays_rejected(store: Store) -> None:
    _teach(store, 3)
    learn_rewrites(store, RewritePolicy(), now=5000)
    rewrite = learned.list_rewrites(store)[0]
    rewrites.set_status(store, rewrite.id, "rejected")
    _teach(store, 5, start=9000)
    learn_rewrites(store, RewritePolicy(), now=20000)
    assert learned.get_rewrite(store, rewrite.id).status == "rejected"  # type: ignore[union-attr]
    assert learned.active_rewrite(store, "lamp please") is None


def test_undone_rewrite_needs_fresh_evidence(store: Store) -> None:
    _teach(store, 3)
    learn_rewrites(store, RewritePolicy(), now=5000)
    rewrite = learned.list_rewrites(store)[0]
    rewrites.set_status(store, rewrite.id, "candidate")
    learn_rewrites(store, RewritePolicy(), now=5001)
    assert learned.active_rewrite(store, "lamp please") is None
    _teach(store, 2, start=9000)
    learn_rewrites(store, RewritePolicy(), now=20000)
    assert learned.active_rewrite(store, "lamp please") is not None


def test_rewrite_to_a_target_that_usually_fails_is_not_trusted(store: Store) -> None:
    _teach(store, 3)
    for index in range(8):
        record_turn(store, make_turn("turn on the lamp", at=3000 + index, outcome="failure"))
    learn_rewrites(store, RewritePolicy(), now=5000)
    assert learned.active_rewrite(store, "lamp please") is None


def test_unknown_rewrite_id_is_a_clear_error(store: Store) -> None:
    with pytest.raises(rewrites.RewriteNotFound, match="learned list"):
        rewrites.set_status(store, 99, "confirmed")


def test_a_value_changed_afterwards_does_not_count_against_the_words() -> None:
    rows = [
        row("pop a five minute timer on", "failure", rephrased=True),
        row(
            "set a timer for five minutes",
            "success",
            rephrase_of="pop a {minutes} minute timer on",
            rephrase_template="set a timer for {minutes} minutes",
        ),
        row("set a timer for twelve minutes", "failure", corrected=True),  # then "no, ten minutes"
    ]
    counts, _ = build_counts(rows)
    target = "set a timer for {minutes} minutes"
    assert counts.count(target, FAILURE) == 0 and counts.count(target, SUCCESS) == 2
