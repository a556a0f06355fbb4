"""An absorbing Markov chain over what users say after a request goes wrong.

Transient states are utterances (normalised text); the two absorbing states
are SUCCESS and FAILURE. Each observed turn adds one transition: to the
utterance the user said next when they rephrased, else to SUCCESS or FAILURE.
The absorption probabilities ``B = N R`` with the fundamental matrix
``N = (I - Q)^-1`` say, for each utterance, how likely a user who starts
there ends in success, following every rephrase path seen so far. This is
how Alexa's self-learning rewrites aggregate evidence across many sessions
instead of trusting one lucky rephrase.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

SUCCESS = "<success>"
FAILURE = "<failure>"
ABSORBING = (SUCCESS, FAILURE)

FAILURE_PRIOR = 0.5
"""Pseudo-count of failure added to every utterance: keeps (I - Q) invertible
even for states that only ever loop, and makes thin evidence pessimistic."""


class TransitionCounts:
    """Counts of (utterance -> next utterance | SUCCESS | FAILURE)."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def add(self, state: str, following: str, weight: float = 1.0) -> None:
        self.counts[state][following] += weight

    def states(self) -> list[str]:
        """Every transient state, in a stable order."""
        found = set(self.counts)
        for row in self.counts.values():
            found.update(k for k in row if k not in ABSORBING)
        return sorted(found)

    def successors(self, state: str) -> dict[str, float]:
        return {k: v for k, v in self.counts.get(state, {}).items() if k not in ABSORBING}

    def count(self, state: str, following: str) -> float:
        return self.counts.get(state, {}).get(following, 0.0)

    def total(self, state: str) -> float:
        return float(sum(self.counts.get(state, {}).values()))


@dataclass
class AbsorbingChain:
    """The solved chain: absorption probabilities and expected visits per utterance."""

    states: list[str]
    index: dict[str, int]
    transition: np.ndarray
    """Row-stochastic matrix over states + [SUCCESS, FAILURE] (smoothed)."""
    fundamental: np.ndarray
    """N = (I - Q)^-1: expected visits to state j starting from state i."""
    absorption: np.ndarray
    """B = N R: column 0 P(SUCCESS), column 1 P(FAILURE), per starting state."""
    counts: TransitionCounts = field(repr=False, default_factory=TransitionCounts)

    def success_probability(self, state: str) -> float:
        """P(the user ends in success | they say ``state``); 0 for an unseen utterance."""
        row = self.index.get(state)
        return float(self.absorption[row, 0]) if row is not None else 0.0

    def step_probability(self, state: str, following: str) -> float:
        """P(one step from ``state`` goes to ``following``)."""
        row, column = self.index.get(state), self.index.get(following)
        if row is None or column is None:
            return 0.0
        return float(self.transition[row, column])

    def expected_turns(self, state: str) -> float:
        """Expected utterances until the request ends, counting this one."""
        row = self.index.get(state)
        return float(self.fundamental[row].sum()) if row is not None else 0.0

    def best_continuation(self, state: str) -> tuple[str, float] | None:
        """The successor most likely to lead to success: argmax P(state -> v) * P(success | v)."""
        best: tuple[str, float] | None = None
        for following in self.counts.successors(state):
            if following == state:
                continue
            score = self.step_probability(state, following) * self.success_probability(following)
            if best is None or score > best[1]:
                best = (following, score)
        return best


def solve(counts: TransitionCounts, failure_prior: float = FAILURE_PRIOR) -> AbsorbingChain:
    """Normalise the counts and compute N and B."""
    states = counts.states()
    index = {state: position for position, state in enumerate(states)}
    size = len(states)
    matrix = np.zeros((size, size + 2))
    for state, row in counts.counts.items():
        for following, weight in row.items():
            if following == SUCCESS:
                matrix[index[state], size] += weight
            elif following == FAILURE:
                matrix[index[state], size + 1] += weight
            else:
                matrix[index[state], index[following]] += weight
    matrix[:, size + 1] += failure_prior
    matrix /= matrix.sum(axis=1, keepdims=True)
    transient = matrix[:, :size]
    absorbing = matrix[:, size:]
    identity = np.eye(size)
    fundamental = np.linalg.solve(identity - transient, identity) if size else np.zeros((0, 0))
    absorption = fundamental @ absorbing if size else np.zeros((0, 2))
    return AbsorbingChain(states, index, matrix, fundamental, absorption, counts)
