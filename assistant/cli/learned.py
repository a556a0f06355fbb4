"""``assistant learned``: review and undo what the assistant learned from use.

These commands only read and write the database, so they are quick and work
while the assistant is running elsewhere (the store is shared safely).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from assistant.cli import EXIT_BAD_INPUT, EXIT_OK, CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    learned = subparsers.add_parser("learned", help="what it learned from use: rewrites, failures, routines")
    commands = learned.add_subparsers(dest="learned_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="learned rewrites (\u201cwhen I say X I mean Y\u201d)")
    listing.add_argument(
        "--status",
        choices=["candidate", "trusted", "confirmed", "rejected"],
        help="only rewrites with this status",
    )
    listing.add_argument("--json", action="store_true", help="one JSON array")
    listing.set_defaults(func=run_list)

    for name, help_text in (
        ("confirm", "keep a rewrite for good"),
        ("reject", "drop a rewrite and never learn it again"),
        ("undo", "stop using a rewrite until there is fresh evidence for it"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("id", type=int, help="the rewrite's id (see `assistant learned list`)")
        command.set_defaults(func=run_status, status_action=name)

    summary = commands.add_parser("failures", help="failed requests per stage, with advice")
    summary.add_argument("--days", type=float, default=7, help="period to look at (default 7)")
    summary.add_argument("--json", action="store_true", help="one JSON object")
    summary.set_defaults(func=run_failures)

    report = commands.add_parser(
        "report", help="what failed and what learning did, per day (the Insights screen)"
    )
    report.add_argument("--days", type=int, default=14, help="days to look at (default 14)")
    report.add_argument("--json", action="store_true", help="one JSON object")
    report.set_defaults(func=run_report)

    routines = commands.add_parser("routines", help="actions you do together, and what was offered")
    routines.add_argument("--json", action="store_true", help="one JSON array")
    routines.set_defaults(func=run_routines)


def _store(args: argparse.Namespace) -> Any:
    from assistant.config import Home
    from assistant.memory.store import Store

    return Store(Home.locate(args.home).ensure().database_file)


def run_list(args: argparse.Namespace) -> int:
    from assistant.memory import learned

    store = _store(args)
    try:
        rewrites = learned.list_rewrites(store, args.status)
    finally:
        store.close()
    if args.json:
        print(json.dumps([rewrite.to_json() for rewrite in rewrites], indent=2))
        return EXIT_OK
    if not rewrites:
        print("Nothing learned yet. Rewrites appear after you rephrase a request it didn't get.")
        return EXIT_OK
    print(f"{'id':>4}  {'status':<9}  {'seen':>4}  {'P(ok)':>5}  {'wins':>4}  {'losses':>6}  rewrite")
    for rewrite in rewrites:
        print(
            f"{rewrite.id:>4}  {rewrite.status:<9}  {rewrite.evidence.get('support', 0):>4}  "
            f"{rewrite.probability:>5.2f}  {rewrite.successes:>4}  {rewrite.failures:>6}  "
            f"\u201c{rewrite.source_text}\u201d \u2192 \u201c{rewrite.target_text}\u201d"
            + (f" ({rewrite.evidence['intent']})" if rewrite.evidence.get("intent") else "")
        )
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    from assistant.learn.rewrites import RewriteNotFound, set_status

    status = {"confirm": "confirmed", "reject": "rejected", "undo": "candidate"}[args.status_action]
    store = _store(args)
    try:
        rewrite = set_status(store, args.id, status, time.time())
    except RewriteNotFound as error:
        raise CommandError(str(error), EXIT_BAD_INPUT) from error
    finally:
        store.close()
    done = {
        "confirmed": "Confirmed",
        "rejected": "Rejected (it won't be learned again)",
        "candidate": "Undone (it needs fresh evidence to come back)",
    }[status]
    print(f"{done}: \u201c{rewrite.source_text}\u201d \u2192 \u201c{rewrite.target_text}\u201d")
    return EXIT_OK


def run_failures(args: argparse.Namespace) -> int:
    from assistant.learn.failures import STAGES, failure_summary

    if args.days <= 0:
        raise CommandError("--days must be more than 0.", EXIT_BAD_INPUT)
    store = _store(args)
    try:
        summary = failure_summary(store, args.days)
    finally:
        store.close()
    if args.json:
        print(json.dumps(summary.to_json(), indent=2))
        return EXIT_OK
    print(
        f"Last {args.days:g} days: {summary.failures} of {summary.turns} requests failed "
        f"({summary.failure_rate:.0%})."
    )
    for stage in STAGES:
        print(f"  {stage:<14} {summary.by_stage.get(stage, 0):>4}")
    print(summary.advice)
    return EXIT_OK


def run_routines(args: argparse.Namespace) -> int:
    from assistant.learn.actions import action_events
    from assistant.learn.routines import find_routines
    from assistant.memory import learned
    from assistant.memory.offers import OfferRepository

    store = _store(args)
    try:
        found = find_routines(action_events(learned.action_rows(store, time.time() - 60 * 86400)))
        offers = {offer.key: offer for offer in OfferRepository(store).all("routine")}
    finally:
        store.close()
    items = [
        {**routine.to_json(), "offer": offers[routine.key].status if routine.key in offers else None}
        for routine in found
    ]
    if args.json:
        print(json.dumps(items, indent=2))
        return EXIT_OK
    if not items:
        print("No routines yet: actions you do together on three different days show up here.")
        return EXIT_OK
    for item in items:
        offered = f", offered: {item['offer']}" if item["offer"] else ", not offered yet"
        steps = " \u2192 ".join(item["steps"])
        print(f"\u2022 {steps}  ({item['days']} days{offered})")
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from assistant.learn.insights import insights
    from assistant.skills.base import SystemClock, clock_from_environment

    if args.days <= 0:
        raise CommandError("--days must be more than 0.", EXIT_BAD_INPUT)
    clock = clock_from_environment() or SystemClock()
    store = _store(args)
    try:
        figures = insights(store, args.days, clock.now())
    finally:
        store.close()
    if args.json:
        print(json.dumps(figures.to_json(), indent=2))
        return EXIT_OK
    for line in report_lines(figures):
        print(line)
    return EXIT_OK


def report_lines(figures: Any) -> list[str]:
    """The report as text lines (the Insights screen shows the same figures)."""
    from assistant.learn.failures import STAGES

    lines = [
        f"Last {len(figures.days)} days: {figures.requests} requests; {figures.rate():.0%} went wrong "
        f"({figures.rate(without_learning=True):.0%} would have without what was learned).",
        "",
        "Failures per day, by stage:",
        "  " + f"{'day':<11}" + "".join(f"{stage:>14}" for stage in STAGES),
    ]
    for day in figures.days:
        lines.append(
            "  " + f"{day.day:<11}" + "".join(f"{day.failures_by_stage.get(s, 0):>14}" for s in STAGES)
        )
    lines += ["", "Defect rate per day (as it was / without what was learned):"]
    for day in figures.days:
        bar = "\u2588" * round(day.defect_rate * 20)
        lines.append(
            f"  {day.day}  {bar:<20} {day.defect_rate:>4.0%} / {day.defect_rate_without_learning:>4.0%}"
            f"  ({day.requests} requests)"
        )
    lines += ["", "Rewrites (wins / losses):"]
    if not figures.rewrites:
        lines.append("  none yet")
    for rewrite in figures.rewrites:
        meaning = f" ({rewrite.intent})" if rewrite.intent else ""
        lines.append(
            f"  {rewrite.id:>3} \u201c{rewrite.source}\u201d \u2192 \u201c{rewrite.target}\u201d{meaning}: "
            f"{rewrite.status}, {rewrite.wins} / {rewrite.losses}"
        )
    lines += ["", "Offers (offered / accepted / declined):"]
    for offer in figures.offers:
        lines.append(f"  {offer.kind:<13} {offer.offered:>3} / {offer.accepted:>3} / {offer.declined:>3}")
    return lines
