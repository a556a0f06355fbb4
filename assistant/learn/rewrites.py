"""Rephrase rewrites: learn "when I say X I mean Y" from how the user recovers.

1. ``find_rephrase`` spots a request that follows a failed, cancelled,
   contradicted or interrupted one within a short time and resembles it.
2. ``learn_rewrites`` rebuilds the absorbing Markov chain from every stored
   turn (rephrase edges plus how each utterance usually ends) and decides,
   for each (source, target) pair, whether the evidence is strong enough.
3. The service applies trusted rewrites only when understanding fails.

A rejected rewrite is never learned again; an undone one needs fresh
evidence before it comes back.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from assistant.learn.markov import FAILURE, SUCCESS, AbsorbingChain, TransitionCounts, solve
from assistant.learn.similarity import Likeness, likeness, utterance_key
from assistant.learn.templates import (
    TemplatePair,
    derive,
    fill,
    is_template,
    literal_words,
    match,
    number_values,
)
from assistant.memory import learned
from assistant.memory.learned import Rewrite
from assistant.memory.store import Store
from assistant.turn import DefectSignal, TurnResult, TurnRole


@dataclass
class RewritePolicy:
    """When a rewrite is trusted. Tunable; the defaults favour precision."""

    window_seconds: float = 30.0
    """A rephrase must come within this long after the request it repairs."""
    min_support: int = 2
    """Distinct times the user rephrased source into target."""
    min_success: float = 0.75
    """P(success | the user says target), from the chain."""
    margin: float = 0.2
    """Target must succeed this much more often than source does on its own."""
    min_likeness: float = 0.45
    """Resemblance needed for a rephrase (lower when the next intent matches the first's guess)."""
    history_days: float = 90.0
    history_turns: int = 3000
    """At most this many of the newest turns feed the chain, which is rebuilt after each
    rephrase: its cost stays bounded however long the history grows (3000 is months of use)."""
    immediate_seconds: float = 15.0
    """A request that succeeded and is said again differently within this long (same
    intent) was a wrong answer that looked like a success."""
    unrelated_likeness: float = 0.6
    """Resemblance needed for a rephrase into another intent family than the first
    attempt was read as or heading for."""
    ask_above: float = 0.35
    """A candidate is asked about ("Did you mean ...?") when its target succeeds at least this often."""
    replace_below: float = 0.2
    """A trusted rewrite replaces its source even before understanding when the source,
    however it was understood, ended in success at most this often."""


def is_defect(turn: TurnResult) -> bool:
    """The turn failed, or the user's reaction says it did."""
    return turn.outcome == "failure" or turn.feedback.says_defect


def effective_text(turn: TurnResult) -> str:
    """What was understood: the rewrite's target when one applied, else what was said."""
    if turn.rewritten and (turn.source == "rewrite" or turn.feedback.rewrite_id):
        return utterance_key(turn.rewritten)
    return utterance_key(turn.text)


def guessed_intents(turn: TurnResult) -> list[str]:
    """The intents the understanding stage ranked for a turn, even below the threshold."""
    record = turn.trace.find("nlu")
    if record is None or not isinstance(record.output, list):
        return []
    return [str(item["intent"]) for item in record.output if isinstance(item, dict) and item.get("intent")]


REPAIRABLE = (TurnRole.REQUEST, TurnRole.FOLLOW_ON)
"""Turns a rephrase can repair: a request, or one that built on the last ("turn it off")
and did the wrong thing. Answers, corrections and cancels are never repaired."""


def family(intent: str | None) -> str:
    """ "timer" for timer.set and timer.cancel: one need, said as different intents."""
    return (intent or "").split(".", 1)[0]


def _needs(turn: TurnResult) -> set[str]:
    """The intent families a request may have been after: what it was read as, and what
    the understanding stage ranked for it even below the threshold."""
    return {family(intent) for intent in [turn.intent, *guessed_intents(turn)] if intent}


def _said_words(value: object) -> set[str]:
    return set(utterance_key(str(value)).split()) if isinstance(value, str) else set()


def compatible_slots(previous: TurnResult, turn: TurnResult) -> bool:
    """The rephrase asks for what the first request said: the same numbers, and every text
    value it has either the first one's or said in the first one's words."""
    if sorted(number_values(previous.text)) != sorted(number_values(turn.text)):
        return False
    said = set(utterance_key(previous.text).split())
    for slot, value in turn.slots.items():
        before = previous.slots.get(slot)
        if before is None or before == value or not isinstance(value, str):
            continue
        if not _said_words(value) <= said:
            return False  # "turn on the fan" after "turn on the lamp": another thing
    return True


def same_need(previous: TurnResult, turn: TurnResult, similar: Likeness, policy: RewritePolicy) -> bool:
    """Is ``turn`` a second go at what ``previous`` asked for?

    The same intent family (or a close wording when the first attempt was heading
    nowhere known), and compatible slots after the fix.
    """
    if not compatible_slots(previous, turn):
        return False
    guesses = guessed_intents(previous)
    heading = {family(previous.intent), family(guesses[0]) if guesses else ""} - {""}
    if family(turn.intent) in heading:
        return True  # read as, or first heading for, the same kind of thing ("clock" -> the time)
    needed = policy.unrelated_likeness
    if family(turn.intent) in _needs(previous):
        needed = policy.min_likeness  # a lower guess: the words must agree too
    if number_values(turn.text) and is_defect(previous):
        # "give me a shout in ten" -> "set a timer for ten minutes": it failed (or was misread
        # as something else), and the same numbers are said again (compatible_slots checked).
        # A lower guess of the same family is more evidence, never a stricter test.
        needed = min(needed, policy.min_likeness - 0.2)
    return similar.best >= needed


def find_rephrase(
    turn: TurnResult, earlier: list[TurnResult], policy: RewritePolicy | None = None
) -> tuple[TurnResult, Likeness] | None:
    """The earlier turn that ``turn`` rephrases, if any (``earlier`` oldest first).

    Only a request can rephrase a request: corrections ("no, ten minutes"), cancels,
    answers and "turn it off" never do, and are skipped on the way back. The repaired
    request failed, or was contradicted, or its reply was followed at once by the same
    need said differently (a wrong answer that looked like a success).
    """
    policy = policy or RewritePolicy()
    if not turn.text.strip() or turn.role != TurnRole.REQUEST or not turn.intent:
        return None
    if turn.intent.startswith("dialogue.") or turn.source == "dialogue" or turn.outcome == "failure":
        return None
    for previous in reversed(earlier):
        waited = turn.started_at - previous.started_at
        if waited > policy.window_seconds:
            return None
        if previous.role not in REPAIRABLE or (previous.intent or "").startswith("dialogue."):
            continue
        if not previous.text.strip():
            return None
        same_words = utterance_key(previous.text) == utterance_key(turn.text)
        if not is_defect(previous) and (
            same_words or waited > policy.immediate_seconds or previous.intent != turn.intent
        ):
            return None
        similar = likeness(previous.text, turn.text, previous.feedback.alternatives)
        if same_words:
            return previous, similar  # said again: no new wording, but the first one failed
        return (previous, similar) if same_need(previous, turn, similar, policy) else None
    return None


def rephrase_templates(repaired: TurnResult, turn: TurnResult) -> TemplatePair | None:
    """The (source, target) templates a rephrase teaches, from the repaired request's
    words and the words that worked; None when their values disagree, or when the words
    that worked name a thing the first request did not mention at all (a lost word put
    back: "chuck on the shopping list" must not learn to add bread every time)."""
    said = set(re.findall(r"[a-z]+", effective_text(repaired)))
    for value in turn.slots.values():
        named = set(re.findall(r"[a-z]+", value.lower())) if isinstance(value, str) else set()
        if named and not named & said:
            return None
    return derive(effective_text(repaired), effective_text(turn), turn.slots)


# --- the chain ---------------------------------------------------------


def _row_effective(row: dict[str, Any]) -> str:
    if row["rewritten"] and (row["source"] == "rewrite" or row["feedback"].rewrite_id):
        return utterance_key(row["rewritten"])
    return utterance_key(row["text"] or "")


class StateNames:
    """Maps what was said to its chain state: itself, or the most specific template it fits."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.templates = sorted((t for t in known if is_template(t)), key=literal_words, reverse=True)
        self._seen: dict[str, str] = {}

    def of(self, text: str) -> str:
        key = utterance_key(text)
        if key in self.known:
            return key
        if key not in self._seen:
            self._seen[key] = next((t for t in self.templates if match(t, key) is not None), key)
        return self._seen[key]


def _row_defect(row: dict[str, Any]) -> bool:
    """Did the words fail? A request whose only fault is a value changed afterwards ("no, ten
    minutes") was understood as said: the phrasing worked, the user changed the value."""
    signals = row["feedback"].signals
    if signals == {DefectSignal.CORRECTED} and row["failure_stage"] in (None, "result", "resolution"):
        return False
    return row["outcome"] == "failure" or bool(signals)


def build_counts(rows: list[dict[str, Any]]) -> tuple[TransitionCounts, dict[tuple[str, str], int]]:
    """Transitions from stored turns, and how often each (source, target) was a real rephrase.

    Only utterances connected to some rephrase enter the chain: the rest of
    the history says nothing about rewrites. States are templates where a rephrase
    made one: "set a timer for twelve minutes" is a visit to "set a timer for {minutes} minutes".
    """
    edges: list[tuple[str, str]] = []
    support: dict[tuple[str, str], int] = {}
    for row in rows:
        origin = row["feedback"].rephrase_of_text
        if origin:
            target = row["feedback"].rephrase_template or _row_effective(row)
            edges.append((origin, target))
            support[(origin, target)] = support.get((origin, target), 0) + 1
    states = StateNames({state for edge in edges for state in edge})
    for row in rows:
        said, effective = states.of(row["text"] or ""), states.of(_row_effective(row))
        if said != effective and said in states.known:
            edges.append((said, effective))  # a rewrite applied
    involved = {state for edge in edges for state in edge}
    counts = TransitionCounts()
    for origin, target in edges:
        counts.add(origin, target)
    for row in rows:
        state = states.of(_row_effective(row))
        if state not in involved or DefectSignal.REPHRASED in row["feedback"].signals:
            continue  # a rephrased turn's step is the edge to what came next
        if row["outcome"] == "unknown" and not _row_defect(row):
            continue  # a question was asked: the answer turn decides
        counts.add(state, FAILURE if _row_defect(row) else SUCCESS)
    return counts, support


@dataclass
class Decision:
    """Whether one (source, target) pair deserves trust, and why."""

    source: str
    target: str
    support: int
    target_success: float
    source_direct_success: float
    best_continuation: bool
    trusted: bool


def decide(chain: AbsorbingChain, source: str, target: str, support: int, policy: RewritePolicy) -> Decision:
    total = chain.counts.total(source)
    direct = chain.counts.count(source, SUCCESS) / total if total else 0.0
    best = chain.best_continuation(source)
    is_best = best is not None and best[0] == target
    target_success = chain.success_probability(target)
    trusted = (
        support >= policy.min_support
        and target_success >= policy.min_success
        and is_best
        and target_success >= direct + policy.margin
    )
    return Decision(source, target, support, target_success, direct, is_best, trusted)


def learn_rewrites(
    store: Store,
    policy: RewritePolicy | None = None,
    now: float | None = None,
    extra_rows: list[dict[str, Any]] | None = None,
) -> list[Rewrite]:
    """Rebuild the chain from history and update every rewrite's status; returns changed ones.

    ``extra_rows`` are turns not stored yet (the turn being finished).
    """
    policy = policy or RewritePolicy()
    now = time.time() if now is None else now
    since = now - policy.history_days * 86400
    rows = learned.utterance_rows(store, since, policy.history_turns) + list(extra_rows or [])
    counts, support = build_counts(rows)
    if not support:
        return []
    chain = solve(counts)
    intents = {
        (row["feedback"].rephrase_of_text, row["feedback"].rephrase_template or _row_effective(row)): row[
            "intent"
        ]
        for row in rows
        if row["feedback"].rephrase_of_text and row["intent"]
    }
    changed: list[Rewrite] = []
    with store.transaction():  # one commit for every rewrite the new evidence touches
        _update_rewrites(store, chain, support, policy, now, changed, intents)
    return changed


def _update_rewrites(
    store: Store,
    chain: AbsorbingChain,
    support: dict[tuple[str, str], int],
    policy: RewritePolicy,
    now: float,
    changed: list[Rewrite],
    intents: dict[tuple[str, str], str],
) -> None:
    for (source, target), seen in support.items():
        if source == target:
            continue
        decision = decide(chain, source, target, seen, policy)
        existing = learned.find_rewrite(store, source, target)
        rewrite = existing or Rewrite(id=0, source_text=source, target_text=target, created_at=now)
        status = _next_status(rewrite, decision, policy)
        evidence = {
            **rewrite.evidence,
            "support": seen,
            "target_success": round(decision.target_success, 4),
            "source_direct_success": round(decision.source_direct_success, 4),
            "best_continuation": decision.best_continuation,
            "expected_turns_from_source": round(chain.expected_turns(source), 3),
        }
        if (source, target) in intents:
            evidence["intent"] = intents[(source, target)]  # shown with the template
        if existing is not None and status == existing.status and evidence == existing.evidence:
            continue
        rewrite.status, rewrite.evidence = status, evidence
        rewrite.probability, rewrite.updated_at = decision.target_success, now
        changed.append(learned.save_rewrite(store, rewrite))


def _next_status(rewrite: Rewrite, decision: Decision, policy: RewritePolicy) -> str:
    if rewrite.status in ("rejected", "confirmed"):
        return rewrite.status  # the user's word is final
    undone_at = int(rewrite.evidence.get("undone_at_support", 0))
    if undone_at and decision.support < undone_at + policy.min_support:
        return "candidate"  # undone: only fresh evidence brings it back
    return "trusted" if decision.trusted else "candidate"


# --- applying -------------------------------------------------------------

ACTIVE = ("trusted", "confirmed")


@dataclass
class Applicable:
    """A rewrite that fits what was said, and the words it makes of it."""

    rewrite: Rewrite
    text: str
    """The target with the request's own values: "set a timer for twelve minutes"."""


def applicable(store: Store, text: str, statuses: tuple[str, ...] = ACTIVE) -> Applicable | None:
    """The best rewrite with one of ``statuses`` whose source fits ``text``.

    Confirmed before trusted, then the most specific source (most fixed words;
    a word-for-word source before a template), then the most likely to succeed.
    """
    key = utterance_key(text)
    best: tuple[tuple[bool, int, bool, float], Applicable] | None = None
    for rewrite in learned.list_rewrites(store):
        if rewrite.status not in statuses:
            continue
        values = match(rewrite.source_text, key)
        if values is None:
            continue
        try:
            filled = fill(rewrite.target_text, values)
        except KeyError:
            continue  # a target naming a value its source does not have: never fill in a guess
        rank = (
            rewrite.status == "confirmed",
            literal_words(rewrite.source_text),
            not is_template(rewrite.source_text),
            rewrite.probability,
        )
        if best is None or rank > best[0]:
            best = (rank, Applicable(rewrite, utterance_key(filled)))
    return best[1] if best is not None else None


def worth_asking(rewrite: Rewrite, policy: RewritePolicy) -> bool:
    """A candidate seen once, whose target worked, and not asked about before: "Did you mean ...?" """
    evidence = rewrite.evidence
    return (
        rewrite.status == "candidate"
        and not evidence.get("asked")
        and int(evidence.get("support", 0)) >= 1
        and float(evidence.get("target_success", 0.0)) >= policy.ask_above
    )


def mark_asked(store: Store, rewrite: Rewrite, now: float) -> Rewrite:
    rewrite.evidence["asked"] = True
    rewrite.updated_at = now
    return learned.save_rewrite(store, rewrite)


# --- the user's say ------------------------------------------------------


class RewriteNotFound(LookupError):
    """No rewrite has that id."""


def _require(store: Store, rewrite_id: int) -> Rewrite:
    rewrite = learned.get_rewrite(store, rewrite_id)
    if rewrite is None:
        raise RewriteNotFound(
            f"There is no learned rewrite with id {rewrite_id}. See `assistant learned list`."
        )
    return rewrite


def set_status(store: Store, rewrite_id: int, status: str, now: float | None = None) -> Rewrite:
    """Confirm, reject or undo (back to candidate) one rewrite."""
    rewrite = _require(store, rewrite_id)
    if status == "candidate":
        rewrite.evidence["undone_at_support"] = int(rewrite.evidence.get("support", 0))
    rewrite.status = status
    rewrite.updated_at = time.time() if now is None else now
    return learned.save_rewrite(store, rewrite)


def record_use(store: Store, rewrite_id: int, worked: bool, undo_win: bool = False) -> Rewrite | None:
    """Count one application: a win, a loss, or a win that later turned out a loss."""
    rewrite = learned.get_rewrite(store, rewrite_id)
    if rewrite is None:
        return None
    if undo_win:
        rewrite.successes = max(0, rewrite.successes - 1)
    if worked:
        rewrite.successes += 1
    else:
        rewrite.failures += 1
        if rewrite.status in ACTIVE:
            drop_trust(rewrite)
    return learned.save_rewrite(store, rewrite)


def drop_trust(rewrite: Rewrite) -> None:
    """Applied and then failed or contradicted: a rewrite that did harm stops at once, and
    only fresh rephrases (never a question) bring it back."""
    rewrite.status = "candidate"
    rewrite.evidence["undone_at_support"] = int(rewrite.evidence.get("support", 0))
    rewrite.evidence["asked"] = True
    rewrite.evidence["dropped"] = int(rewrite.evidence.get("dropped", 0)) + 1
