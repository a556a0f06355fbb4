"""The absorbing Markov chain over rephrase sequences."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.learn.markov import FAILURE, SUCCESS, TransitionCounts, solve


def test_absorption_follows_rephrase_paths() -> None:
    counts = TransitionCounts()
    counts.add("lamp please", "turn on the lamp", 4)
    counts.add("lamp please", FAILURE, 1)
    counts.add("turn on the lamp", SUCCESS, 10)
    chain = solve(counts, failure_prior=0.0)
    assert chain.success_probability("turn on the lamp") == pytest.approx(1.0)
    assert chain.success_probability("lamp please") == pytest.approx(0.8)


def test_fundamental_matrix_is_inverse_of_i_minus_q() -> None:
    counts = TransitionCounts()
    counts.add("a", "b", 2)
    counts.add("a", FAILURE, 2)
    counts.add("b", "a", 1)
    counts.add("b", SUCCESS, 3)
    chain = solve(counts, failure_prior=0.0)
    size = len(chain.states)
    q = chain.transition[:, :size]
    np.testing.assert_allclose(chain.fundamental @ (np.eye(size) - q), np.eye(size), atol=1e-9)
    np.testing.assert_allclose(chain.absorption.sum(axis=1), 1.0)
    assert chain.expected_turns("a") > 1.0


def test_self_loops_stay_solvable_thanks_to_the_failure_prior() -> None:
    counts = TransitionCounts()
    counts.add("mumble", "mumble", 5)
    chain = solve(counts)
    assert chain.success_probability("mumble") == pytest.approx(0.0)


def test_best_continuation_prefers_the_successful_rephrase() -> None:
    counts = TransitionCounts()
    counts.add("lamp please", "lamp on", 2)
    counts.add("lamp please", "turn on the lamp", 2)
    counts.add("lamp on", FAILURE, 3)
    counts.add("turn on the lamp", SUCCESS, 5)
    chain = solve(counts)
    best = chain.best_continuation("lamp please")
    assert best is not None and best[0] == "turn on the lamp"


def test_unknown_state_has_no_success() -> None:
    assert solve(TransitionCounts()).success_probability("anything") == 0.0
