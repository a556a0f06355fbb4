"""The wake arbiter on its own: several satellites claim one phrase at once (real threads)."""

from __future__ import annotations

import threading

from assistant.wyoming.arbiter import WakeArbiter, WakeClaim, best_claim


def test_a_clearly_better_score_wins_over_clarity() -> None:
    claims = {
        "kitchen": WakeClaim(score=0.8, clarity=30.0, level=0.2),  # a phone missed
        "office": WakeClaim(score=1.0, clarity=12.0, level=0.05),
    }
    assert best_claim(claims) == "office"


def test_close_scores_are_a_tie_won_by_the_clearest() -> None:
    claims = {
        "kitchen": WakeClaim(score=0.99, clarity=8.0, level=0.1),  # loud, beside a fan
        "office": WakeClaim(score=0.97, clarity=25.0, level=0.04),
    }
    assert best_claim(claims) == "office"


def test_claims_of_one_phrase_get_one_answer() -> None:
    arbiter = WakeArbiter(window_seconds=0.3)
    answers: dict[str, bool] = {}
    heard = {
        "kitchen": WakeClaim(score=0.95, clarity=10.0, level=0.1),
        "office": WakeClaim(score=0.96, clarity=20.0, level=0.05),
        "den": WakeClaim(score=0.5, clarity=40.0, level=0.3),
    }

    def claim(who: str) -> None:
        answers[who] = arbiter.claim(who, heard[who])

    threads = [threading.Thread(target=claim, args=(who,)) for who in heard]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert answers == {"kitchen": False, "office": True, "den": False}
    [(winner, claims)] = arbiter.decided
    assert winner == "office" and set(claims) == set(heard)
