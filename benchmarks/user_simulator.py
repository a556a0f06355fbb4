"""Simulated users over simulated days, talking to the assistant only through its command line.

Each persona is one ``assistant --home DIR chat --json`` process (the public interface, in a
fresh home); the simulated clock is a file the assistant reads (``ASSISTANT_CLOCK_FILE``),
moved forward before every line. Personas have habits the assistant does not know
(idioms, a recogniser that always mishears the same words, wordy politeness), vary their
slot values between attempts, recover the way people do (rephrase, "no that's wrong",
ignore or answer "Did you mean ...?"), change their minds ("no, ten minutes", "cancel"),
answer questions ("For how long?"), and say near-miss phrasings that must NOT be
rewritten. The same days run again with ``learn_from_use`` off as the control.

    .venv/bin/python benchmarks/user_simulator.py [--days 14] [--seed 11] [--json]

Bars (issue 16): defect rate on days 8-14 at least 60 % below the control; rewrite
wins per loss >= 12 (losses: harmful rewrites and misfires); a habitual phrasing works
after <= 2 failures when the user confirms, <= 5 when they never do; no rewrite learned
from a correction, a cancel or an answer.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DAY = 86400.0
START = time.mktime((2024, 1, 1, 0, 0, 0, 0, 0, -1))  # a Monday, local time
NUMBER_WORDS = {3: "three", 5: "five", 7: "seven", 10: "ten", 12: "twelve", 15: "fifteen", 20: "twenty"}
ITEMS = ["milk", "eggs", "bread", "flour", "apples", "rice", "coffee", "butter"]


@dataclass
class Want:
    """What the user wants done, and how to tell from a turn whether it was done."""

    intent: str
    slots: dict[str, Any] = field(default_factory=dict)

    def met_by(self, turn: dict[str, Any]) -> bool:
        if turn.get("intent") != self.intent or turn.get("outcome") == "failure":
            return False
        given = turn.get("slots") or {}
        return all(
            str(given.get(name, "")).lower() == str(value).lower() for name, value in self.slots.items()
        )


@dataclass
class Task:
    """One kind of request: its habitual wording (the persona's own) and the known one."""

    name: str
    habit: str
    """With {n} (a number, said in words or digits) or {item}."""
    known: str
    want: Callable[[dict[str, Any]], Want]
    values: Callable[[random.Random], dict[str, Any]]


def minutes(rng: random.Random) -> dict[str, Any]:
    value = rng.choice(list(NUMBER_WORDS))
    return {"n": NUMBER_WORDS[value] if rng.random() < 0.5 else str(value), "value": value}


def item(rng: random.Random) -> dict[str, Any]:
    return {"item": rng.choice(ITEMS)}


def nothing(rng: random.Random) -> dict[str, Any]:
    return {}


def timer_want(values: dict[str, Any]) -> Want:
    return Want("timer.set", {"duration": values["value"] * 60})


def list_want(values: dict[str, Any]) -> Want:
    return Want("list.add", {"item": values["item"], "list_name": "shopping"})


def time_want(values: dict[str, Any]) -> Want:
    return Want("time.now")


@dataclass
class Persona:
    name: str
    description: str
    tasks: list[Task]
    near_misses: list[str]
    """Phrasings close to a habit that mean something else: never to be rewritten."""
    confirms: bool
    """Answers "Did you mean ...?" with yes when it is right (else ignores it and rephrases)."""
    habit_share: float = 0.9
    noise: float = 0.05
    """Chance that a first try loses a word (a recogniser slip that does not repeat)."""


PERSONAS = [
    Persona(
        "pat",
        "idioms: 'give me a shout in ten', 'chuck eggs on the shopping list'",
        [
            Task("timer", "give me a shout in {n}", "set a timer for {n} minutes", timer_want, minutes),
            Task(
                "list",
                "chuck {item} on the shopping list",
                "add {item} to the shopping list",
                list_want,
                item,
            ),
            Task("time", "what's the damage on the clock", "what time is it", time_want, nothing),
        ],
        [
            "give me a shout in the morning",
            "give me a shout in five hours",
            "what's the damage on the bill",
            "chuck it on the barbie",
        ],
        confirms=True,
    ),
    Persona(
        "sam",
        "a recogniser that always mishears the same words: 'sit a tamer', 'what tim is it'",
        [
            Task("timer", "sit a tamer for {n} minutes", "set a timer for {n} minutes", timer_want, minutes),
            Task("time", "what tim is it", "what time is it", time_want, nothing),
            Task(
                "list", "add {item} to my shopping lust", "add {item} to the shopping list", list_want, item
            ),
        ],
        ["sit a tamer down", "what tim said", "add a shopping lust"],
        confirms=False,
        noise=0.08,
    ),
    Persona(
        "robin",
        "wordy politeness: 'would you mind awfully giving me a shout in ten minutes please'",
        [
            Task(
                "timer",
                "would you mind awfully giving me a shout in {n} minutes please",
                "set a timer for {n} minutes",
                timer_want,
                minutes,
            ),
            Task(
                "list",
                "i was wondering if you could possibly add {item} to my shopping list"
                " if it's not too much trouble",
                "add {item} to the shopping list",
                list_want,
                item,
            ),
            Task(
                "time", "hit me with the time if you would be so kind", "what time is it", time_want, nothing
            ),
        ],
        [
            "would you mind awfully giving me a hand",
            "would you mind awfully giving me a shout in ten hours please",
            "hit me with your best shot",
        ],
        confirms=True,
    ),
]

CORRECTIONS = ("set a timer for {n} minutes", "no, {m} minutes")
CANCEL = ("set a timer for {n} minutes", "cancel")
ANSWER = ("set a timer", "{n} minutes")


class Chat:
    """One ``assistant chat --json`` process and the clock file it reads."""

    def __init__(self, home: Path, learning: bool) -> None:
        self.home = home
        self.clock = home / "clock"
        self.now = START
        self._write_clock()
        env = {**os.environ, "ASSISTANT_CLOCK_FILE": str(self.clock), "PYTHONPATH": str(ROOT)}
        env.pop("ASSISTANT_HOME", None)
        base = [PYTHON, "-m", "assistant", "--home", str(home / "assistant")]
        subprocess.run([*base, "config", "set", "learn_from_use", str(learning).lower()], env=env, check=True,
                       capture_output=True)  # fmt: skip
        self.base, self.env = base, env
        self.process = subprocess.Popen(
            [*base, "chat", "--json"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            env=env,
        )
        self.turns: list[dict[str, Any]] = []

    def _write_clock(self) -> None:
        self.clock.write_text(f"{self.now:.3f}", encoding="utf-8")

    def say(self, text: str, after: float = 6.0) -> dict[str, Any]:
        self.now += after
        self._write_clock()
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the assistant stopped while answering {text!r}")
        turn: dict[str, Any] = json.loads(line)
        self.turns.append(turn)
        return turn

    def rewrites(self) -> list[dict[str, Any]]:
        done = subprocess.run(
            [*self.base, "learned", "list", "--json"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        found: list[dict[str, Any]] = json.loads(done.stdout or "[]")
        return found

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


@dataclass
class Tally:
    """What one run measured."""

    requests_by_day: dict[int, int] = field(default_factory=dict)
    defects_by_day: dict[int, int] = field(default_factory=dict)
    wins: int = 0
    misfires: int = 0
    harmful: int = 0
    near_misses: int = 0
    habit_failures: dict[str, int] = field(default_factory=dict)
    """Failed clean first tries of a habit before its first success at the first try."""
    habit_learned: dict[str, bool] = field(default_factory=dict)
    learned_from_reactions: int = 0
    reaction_texts: list[str] = field(default_factory=list)
    """Corrections, cancels and answers said (none may become a rewrite)."""
    asked: int = 0

    def defect_rate(self, days: range) -> float:
        requests = sum(self.requests_by_day.get(day, 0) for day in days)
        defects = sum(self.defects_by_day.get(day, 0) for day in days)
        return defects / requests if requests else 0.0


def count_learned(turn: dict[str, Any], met: bool, tally: Tally) -> None:
    if turn.get("learned_rewrite") is None:
        return
    if met:
        tally.wins += 1
    else:
        tally.misfires += 1


def slip(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 3:
        del words[rng.randrange(1, len(words))]
    return " ".join(words)


def attempt(chat: Chat, persona: Persona, task: Task, rng: random.Random, day: int, tally: Tally) -> None:
    values = task.values(rng)
    want = task.want(values)
    use_habit = rng.random() < persona.habit_share
    first = (task.habit if use_habit else task.known).format(**values)
    noisy = rng.random() < persona.noise
    turn = chat.say(slip(first, rng) if noisy else first, after=rng.uniform(1200, 3600))
    met = want.met_by(turn)
    count_learned(turn, met, tally)
    tally.requests_by_day[day] = tally.requests_by_day.get(day, 0) + 1
    key = f"{persona.name}:{task.name}"
    if use_habit and not noisy and not tally.habit_learned.get(key):
        if met:
            tally.habit_learned[key] = True
        else:
            tally.habit_failures[key] = tally.habit_failures.get(key, 0) + 1
    if met:
        return
    tally.defects_by_day[day] = tally.defects_by_day.get(day, 0) + 1
    known = task.known.format(**values)
    reply = turn.get("reply", "")
    if reply.startswith("Did you mean"):
        tally.asked += 1
        if persona.confirms and known_words_in(reply, values):
            answer = chat.say("yes")
            count_learned(answer, want.met_by(answer), tally)
            if want.met_by(answer):
                return
    elif turn.get("intent") and turn.get("outcome") != "failure":
        chat.say("no that's wrong")  # it did something else
    retry = chat.say(known)
    count_learned(retry, want.met_by(retry), tally)


def known_words_in(reply: str, values: dict[str, Any]) -> bool:
    """The suggestion names what the user wants (its value, in words or digits)."""
    wanted = [str(v) for k, v in values.items() if k in ("item", "value")]
    spoken = [NUMBER_WORDS.get(values["value"], "")] if "value" in values else []
    return all(w in reply for w in wanted) or any(w and w in reply for w in spoken)


def episode(chat: Chat, persona: Persona, rng: random.Random, tally: Tally) -> None:
    """A change of mind or an answer: the things never to learn from."""
    kind = rng.choice(["correction", "cancel", "answer"])
    n, m = rng.sample(sorted(NUMBER_WORDS), 2)
    values = {"n": NUMBER_WORDS[n], "m": NUMBER_WORDS[m]}
    first, second = {"correction": CORRECTIONS, "cancel": CANCEL, "answer": ANSWER}[kind]
    chat.say(first.format(**values), after=rng.uniform(1200, 3600))
    reaction = chat.say(second.format(**values))
    tally.reaction_texts.append(second.format(**values))
    if reaction.get("feedback", {}).get("rephrase_template"):
        tally.learned_from_reactions += 1


def near_miss(chat: Chat, persona: Persona, rng: random.Random, tally: Tally) -> None:
    """Words close to a habit that mean something else: a learned rewrite here is harm."""
    turn = chat.say(rng.choice(persona.near_misses), after=rng.uniform(1200, 3600))
    tally.near_misses += 1
    if turn.get("learned_rewrite") is not None:
        tally.harmful += 1


def run_persona(persona: Persona, days: int, seed: int, learning: bool) -> dict[str, Any]:
    rng = random.Random(f"{seed}:{persona.name}")
    folder = Path(tempfile.mkdtemp(prefix=f"sim-{persona.name}-"))
    chat = Chat(folder, learning)
    tally = Tally()
    started = time.perf_counter()
    try:
        for day in range(1, days + 1):
            chat.now = START + (day - 1) * DAY + 8 * 3600
            for index in range(9):
                if index == 4:
                    episode(chat, persona, rng, tally)
                if index == 6:
                    near_miss(chat, persona, rng, tally)
                task = rng.choice(persona.tasks)
                attempt(chat, persona, task, rng, day, tally)
        rewrites = chat.rewrites()
    finally:
        chat.close()
        shutil.rmtree(folder, ignore_errors=True)
    reactions = {text.lower().replace(",", "") for text in tally.reaction_texts}
    from_reactions = [
        r for r in rewrites
        if any(_fits(r["source"], text) or _fits(r["target"], text) for text in reactions)
    ]  # fmt: skip
    return {
        "persona": persona.name,
        "learning": learning,
        "tally": tally,
        "rewrites": rewrites,
        "rewrites_from_reactions": len(from_reactions) + tally.learned_from_reactions,
        "seconds": round(time.perf_counter() - started, 1),
        "turns": len(chat.turns),
    }


def _fits(template: str, text: str) -> bool:
    pattern = re.escape(template)
    pattern = re.sub(r"\\\{[a-z_0-9]+\\\}", r".+", pattern)
    return re.fullmatch(pattern, text) is not None


def summarize(results: list[dict[str, Any]], days: int) -> dict[str, Any]:
    late = range(8, days + 1)
    report: dict[str, Any] = {
        "days": days,
        "seconds": round(sum(r["seconds"] for r in results), 1),
        "personas": {},
    }
    total = {"on_req": 0, "on_def": 0, "off_req": 0, "off_def": 0}
    wins = losses = harmful = misfires = from_reactions = reactions_said = near_misses = 0
    confirm_worst = never_worst = 0
    for persona in PERSONAS:
        on = next(r for r in results if r["persona"] == persona.name and r["learning"])
        off = next(r for r in results if r["persona"] == persona.name and not r["learning"])
        t_on, t_off = on["tally"], off["tally"]
        for day in late:
            total["on_req"] += t_on.requests_by_day.get(day, 0)
            total["on_def"] += t_on.defects_by_day.get(day, 0)
            total["off_req"] += t_off.requests_by_day.get(day, 0)
            total["off_def"] += t_off.defects_by_day.get(day, 0)
        rate_on, rate_off = t_on.defect_rate(late), t_off.defect_rate(late)
        habits = {key: (t_on.habit_failures.get(key, 0), t_on.habit_learned.get(key, False))
                  for key in {f"{persona.name}:{task.name}" for task in persona.tasks}}  # fmt: skip
        worst = max((fails if learned else 99) for fails, learned in habits.values())
        if persona.confirms:
            confirm_worst = max(confirm_worst, worst)
        else:
            never_worst = max(never_worst, worst)
        wins += t_on.wins
        harmful += t_on.harmful
        misfires += t_on.misfires
        from_reactions += on["rewrites_from_reactions"]
        reactions_said += len(t_on.reaction_texts)
        near_misses += t_on.near_misses
        report["personas"][persona.name] = {
            "description": persona.description,
            "confirms": persona.confirms,
            "defect_rate_days_8_on": round(rate_on, 3),
            "defect_rate_days_8_off": round(rate_off, 3),
            "defect_rate_by_day_on": [
                round(t_on.defect_rate(range(d, d + 1)), 2) for d in range(1, days + 1)
            ],
            "defect_rate_by_day_off": [
                round(t_off.defect_rate(range(d, d + 1)), 2) for d in range(1, days + 1)
            ],
            "habit_failures_before_working": {k: (f if ok else None) for k, (f, ok) in habits.items()},
            "wins": t_on.wins,
            "misfires": t_on.misfires,
            "harmful": t_on.harmful,
            "near_misses_said": t_on.near_misses,
            "asked_did_you_mean": t_on.asked,
            "rewrites": [
                f"{r['source']} -> {r['target']} ({r['status']}, +{r['successes']}/-{r['failures']})"
                for r in on["rewrites"]
            ],  # fmt: skip
            "seconds": on["seconds"] + off["seconds"],
        }
    losses = harmful + misfires
    rate_on = total["on_def"] / total["on_req"] if total["on_req"] else 0.0
    rate_off = total["off_def"] / total["off_req"] if total["off_req"] else 0.0
    reduction = 1 - rate_on / rate_off if rate_off else 0.0
    ratio = wins / losses if losses else float("inf")
    report["bars"] = {
        "defect_rate_days_8_14_learning": round(rate_on, 3),
        "defect_rate_days_8_14_control": round(rate_off, 3),
        "defect_reduction": round(reduction, 3),
        "defect_reduction_ok": reduction >= 0.6,
        "wins": wins,
        "losses": losses,
        "harmful": harmful,
        "misfires": misfires,
        "near_misses_said": near_misses,
        "win_loss": f"{wins}:0 (no loss)" if losses == 0 else round(ratio, 1),
        "win_loss_ok": ratio >= 12,
        "failures_before_working_confirming": confirm_worst,
        "confirming_ok": confirm_worst <= 2,
        "failures_before_working_never_confirming": never_worst,
        "never_confirming_ok": never_worst <= 5,
        "corrections_cancels_answers_said": reactions_said,
        "rewrites_from_corrections_cancels_answers": from_reactions,
        "reactions_ok": from_reactions == 0,
    }
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="chat processes at once (cores to use)")
    args = parser.parse_args()
    jobs = [(persona, learning) for persona in PERSONAS for learning in (True, False)]
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(lambda job: run_persona(job[0], args.days, args.seed, job[1]), jobs))
    report = summarize(results, args.days)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for name, figures in report["personas"].items():
        print(f"{name} ({figures['description']}; {'confirms' if figures['confirms'] else 'never confirms'})")
        print(f"  defect rate by day, learning: {figures['defect_rate_by_day_on']}")
        print(f"  defect rate by day, control:  {figures['defect_rate_by_day_off']}")
        print(f"  failures before a habit worked: {figures['habit_failures_before_working']}")
        print(f"  wins {figures['wins']}, misfires {figures['misfires']}, harmful {figures['harmful']} "
              f"(near misses said: {figures['near_misses_said']}); asked 'Did you mean': "
              f"{figures['asked_did_you_mean']}")  # fmt: skip
        for line in figures["rewrites"]:
            print(f"    {line}")
    print("bars:")
    for key, value in report["bars"].items():
        print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
