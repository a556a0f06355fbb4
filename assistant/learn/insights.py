"""What learning did, in figures: the numbers behind the Insights screen and
``assistant learned report``.

* failures per day, by the stage that failed (the failure-point labels);
* the defect rate per day as it was, and as it would have been without what was
  learned (each request a learned rewrite or a taught alias carried through counted
  as the failure it would otherwise have been);
* every rewrite with its wins and losses;
* routines, suggestions, "teach me" and "Did you mean ...?" offers: offered, accepted,
  declined.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from assistant.learn.failures import STAGES
from assistant.memory import learned
from assistant.memory.offers import OfferRepository
from assistant.memory.store import Store
from assistant.turn import RewriteCount

LEARNED_SOURCES = ("rewrite", "alias")
"""Turn sources that mean something learned or taught reworded the request."""


@dataclass
class DayFigures:
    """One day of requests."""

    day: str
    """ISO date, local time."""
    requests: int = 0
    defects: int = 0
    learned_wins: int = 0
    """Requests that worked because of a learned rewrite or a taught alias."""
    failures_by_stage: dict[str, int] = field(default_factory=lambda: {stage: 0 for stage in STAGES})

    @property
    def defect_rate(self) -> float:
        return self.defects / self.requests if self.requests else 0.0

    @property
    def defect_rate_without_learning(self) -> float:
        return (self.defects + self.learned_wins) / self.requests if self.requests else 0.0


@dataclass
class RewriteFigures:
    id: int
    source: str
    target: str
    intent: str | None
    status: str
    wins: int
    losses: int


@dataclass
class OfferFigures:
    kind: str
    offered: int = 0
    accepted: int = 0
    declined: int = 0


@dataclass
class Insights:
    days: list[DayFigures]
    rewrites: list[RewriteFigures]
    offers: list[OfferFigures]

    @property
    def requests(self) -> int:
        return sum(day.requests for day in self.days)

    def rate(self, without_learning: bool = False) -> float:
        requests = self.requests
        defects = sum(day.defects + (day.learned_wins if without_learning else 0) for day in self.days)
        return defects / requests if requests else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "defect_rate": round(self.rate(), 4),
            "defect_rate_without_learning": round(self.rate(without_learning=True), 4),
            "days": [
                {
                    **asdict(day),
                    "defect_rate": round(day.defect_rate, 4),
                    "defect_rate_without_learning": round(day.defect_rate_without_learning, 4),
                }
                for day in self.days
            ],
            "rewrites": [asdict(rewrite) for rewrite in self.rewrites],
            "offers": [asdict(offer) for offer in self.offers],
        }


def _is_request(row: dict[str, Any]) -> bool:
    intent = row.get("intent") or ""
    # conversation words and answers are reactions, not requests (as in failure summaries)
    return (
        not intent.startswith(("dialogue.", "learning.", "teach.offer")) and row.get("source") != "dialogue"
    )


def _learned_win(row: dict[str, Any]) -> bool:
    if row.get("outcome") != "success":
        return False
    return row.get("source") in LEARNED_SOURCES or row["feedback"].rewrite_counted == RewriteCount.WIN


def day_figures(rows: list[dict[str, Any]], days: int, now: float) -> list[DayFigures]:
    """Per-day figures for the last ``days`` days (today last), from light history rows."""
    today = datetime.fromtimestamp(now).date()
    figures = {
        (today.toordinal() - back): DayFigures(date.fromordinal(today.toordinal() - back).isoformat())
        for back in range(days - 1, -1, -1)
    }
    for row in rows:
        day = figures.get(datetime.fromtimestamp(row["started_at"]).date().toordinal())
        if day is None or not _is_request(row):
            continue
        day.requests += 1
        if row.get("outcome") == "failure":
            day.defects += 1
            stage = row.get("failure_stage") or "understanding"
            day.failures_by_stage[stage] = day.failures_by_stage.get(stage, 0) + 1
        elif _learned_win(row):
            day.learned_wins += 1
    return list(figures.values())


def offer_figures(store: Store) -> list[OfferFigures]:
    """Routines, suggestions and "teach me" offers from the offers table; "Did you mean"
    questions from the rewrites asked about (confirmed: yes, rejected: no)."""
    by_kind: dict[str, OfferFigures] = {
        kind: OfferFigures(kind) for kind in ("routine", "suggestion", "teach", "did_you_mean")
    }
    for offer in OfferRepository(store).all():
        figures = by_kind.setdefault(offer.kind, OfferFigures(offer.kind))
        figures.offered += max(offer.offered, 1)
        figures.accepted += offer.accepted
        figures.declined += offer.declined
    asked = by_kind["did_you_mean"]
    for rewrite in learned.list_rewrites(store):
        if rewrite.evidence.get("asked") and not rewrite.evidence.get("dropped"):
            asked.offered += 1
            asked.accepted += rewrite.status == "confirmed"
            asked.declined += rewrite.status == "rejected"
    return list(by_kind.values())


def insights(store: Store, days: int = 14, now: float | None = None) -> Insights:
    now = time.time() if now is None else now
    start = datetime.fromtimestamp(now).date().toordinal() - (days - 1)
    since = time.mktime(date.fromordinal(start).timetuple())
    rows = learned.utterance_rows(store, since)
    rewrites = [
        RewriteFigures(
            r.id, r.source_text, r.target_text, r.evidence.get("intent"), r.status, r.successes, r.failures
        )
        for r in learned.list_rewrites(store)
        if r.status != "candidate" or r.successes or r.failures
    ]
    return Insights(day_figures(rows, days, now), rewrites, offer_figures(store))
