"""Follow-up suggestions: after an action, offer the one the user usually does next.

Which next action: pointwise mutual information over consecutive actions
(how much more often B follows A than B happens anyway), with enough
support and a high enough P(B | A). Whether to keep offering it: each
(A, B) offer is a one-armed bandit with a Beta(1 + accepted, 1 + declined)
posterior; once its expected acceptance falls below a threshold the offer
stops, so suggestions the user keeps declining go away.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from assistant.learn.actions import ActionEvent, consecutive_pairs

WINDOW_SECONDS = 10 * 60
MIN_PAIR_COUNT = 3
MIN_CONDITIONAL = 0.4
"""P(B | A) at least this."""
MIN_EXPECTED_ACCEPTANCE = 0.3
"""Stop offering when the posterior mean acceptance falls below this."""
PRIOR_ACCEPT, PRIOR_DECLINE = 1.0, 1.0


@dataclass
class FollowUp:
    """A next action worth offering after ``after_key``."""

    after_key: str
    key: str
    intent: str
    slots_json: str
    text: str
    pmi: float
    conditional: float
    count: int

    @property
    def offer_key(self) -> str:
        return f"{self.after_key} -> {self.key}"


@dataclass
class PairStatistics:
    """Counts of consecutive actions."""

    pairs: Counter[tuple[str, str]]
    first: Counter[str]
    """How often each action was followed by another within the window."""
    actions: Counter[str]
    """How often each action happened at all."""
    total_pairs: int
    total_actions: int
    examples: dict[str, ActionEvent]
    """A spoken example of each key (for its words, intent and slots)."""

    def pmi(self, a: str, b: str) -> float:
        """log P(a then b) / (P(a) P(b)): pairs over all pairs, actions over all actions."""
        joint = self.pairs[(a, b)]
        if not joint or not self.total_pairs:
            return float("-inf")
        p_joint = joint / self.total_pairs
        p_a, p_b = self.actions[a] / self.total_actions, self.actions[b] / self.total_actions
        return math.log(p_joint / (p_a * p_b))

    def conditional(self, a: str, b: str) -> float:
        """P(b next | a), over every time a happened."""
        return self.pairs[(a, b)] / self.actions[a] if self.actions[a] else 0.0


def pair_statistics(events: list[ActionEvent], window_seconds: float = WINDOW_SECONDS) -> PairStatistics:
    pairs = consecutive_pairs(events, window_seconds)
    counts: Counter[tuple[str, str]] = Counter((a.key, b.key) for a, b in pairs)
    examples: dict[str, ActionEvent] = {}
    for event in events:
        if event.spoken and event.text:
            examples[event.key] = event
    return PairStatistics(
        pairs=counts,
        first=Counter(a.key for a, _ in pairs),
        actions=Counter(e.key for e in events),
        total_pairs=len(pairs),
        total_actions=len(events),
        examples=examples,
    )


def best_follow_up(statistics: PairStatistics, after_key: str) -> FollowUp | None:
    """The action most associated with following ``after_key``, if the association is strong."""
    best: FollowUp | None = None
    for (a, b), count in statistics.pairs.items():
        if a != after_key or count < MIN_PAIR_COUNT or b not in statistics.examples:
            continue
        pmi, conditional = statistics.pmi(a, b), statistics.conditional(a, b)
        if pmi <= 0 or conditional < MIN_CONDITIONAL:
            continue
        if best is None or (conditional, pmi) > (best.conditional, best.pmi):
            example = statistics.examples[b]
            best = FollowUp(
                after_key=a,
                key=b,
                intent=example.intent,
                slots_json=example.slots_json,
                text=example.text,
                pmi=pmi,
                conditional=conditional,
                count=count,
            )
    return best


def expected_acceptance(accepted: int, declined: int) -> float:
    """Posterior mean of Beta(prior + accepted, prior + declined)."""
    return (PRIOR_ACCEPT + accepted) / (PRIOR_ACCEPT + PRIOR_DECLINE + accepted + declined)


def worth_offering(accepted: int, declined: int) -> bool:
    return expected_acceptance(accepted, declined) >= MIN_EXPECTED_ACCEPTANCE
