"""How hard the assistant is to break: fuzzed turns, and writers killed mid-write.

1. ``--turns`` fuzzed requests (default 20 000, ``tests/fuzzing.py``) through one
   ``assistant chat --json --local`` process, then through the socket API of one
   ``assistant serve``: crashed processes, lost turns (a line in, no reply out), turns
   slower than 1 s and 2 s, the slowest turn, and resident memory growth per 1 000 turns.
2. ``--rounds`` kill -9 rounds (default 100): two processes at once teach commands, state
   preferences and add list items through real turns in one home, and are killed at
   random moments; every write a turn confirmed must still be there, and SQLite's
   ``pragma integrity_check`` must say ok.

Run from the repository root: ``.venv/bin/python benchmarks/reliability.py [--turns N]
[--rounds M] [--seed S]``. Only loopback and temporary folders are used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzzing import fuzzed_requests  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_STRICT",)}
    env["ASSISTANT_HOME"] = str(home)
    return env


def summarize(
    label: str, seconds: list[float], memory: list[tuple[int, float]], sent: int, crashed: bool
) -> None:
    answered = len(seconds)
    ordered = sorted(seconds) or [0.0]
    growth = 0.0
    if len(memory) >= 2:
        (first_turn, first_mb), (last_turn, last_mb) = memory[0], memory[-1]
        growth = (last_mb - first_mb) / max(1, last_turn - first_turn) * 1000
    print(
        f"- {label}: {sent} sent, {answered} answered, {sent - answered} lost, "
        f"crashed: {'yes' if crashed else 'no'}"
    )
    print(
        f"    turns over 1 s: {sum(s > 1 for s in seconds)}, over 2 s: {sum(s > 2 for s in seconds)}, "
        f"slowest {ordered[-1] * 1000:.0f} ms, median {ordered[len(ordered) // 2] * 1000:.1f} ms"
    )
    if memory:
        print(
            f"    resident memory {memory[0][1]:.0f} MB after {memory[0][0]} turns -> "
            f"{memory[-1][1]:.0f} MB after {memory[-1][0]}: {growth:+.1f} MB per 1 000 turns"
        )


def fuzz_chat(home: Path, texts: list[str]) -> None:
    process = subprocess.Popen(
        [str(PYTHON), "-m", "assistant", "chat", "--json", "--local"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        errors="surrogatepass",
        env=environment(home),
        cwd=ROOT,  # some lines not UTF-8
    )
    assert process.stdin is not None and process.stdout is not None
    seconds: list[float] = []
    memory: list[tuple[int, float]] = []
    crashed = False
    for number, text in enumerate(texts):
        line = " ".join(text.split()) or "."
        started = time.perf_counter()
        try:
            process.stdin.write(line + "\n")
            process.stdin.flush()
            answer = process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            crashed = True
            break
        json.loads(answer)
        seconds.append(time.perf_counter() - started)
        if number % 1000 == 999:
            memory.append((number + 1, rss_mb(process.pid)))
    process.stdin.close()
    process.wait(timeout=60)
    summarize("chat --json, one process", seconds, memory, len(texts), crashed or process.returncode != 0)


def fuzz_api(home: Path, texts: list[str]) -> None:
    from assistant.api.client import ApiClient
    from assistant.api.protocol import ApiError
    from assistant.config import Home

    socket_path = Home.locate(home).socket_path
    server = subprocess.Popen(
        [str(PYTHON), "-m", "assistant", "serve", "--no-voice"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment(home),
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    while not socket_path.exists() and time.monotonic() < deadline and server.poll() is None:
        time.sleep(0.2)
    seconds: list[float] = []
    memory: list[tuple[int, float]] = []
    crashed = False
    refused: dict[str, int] = {}
    client = ApiClient(socket_path, timeout=60).connect()
    try:
        for number, text in enumerate(texts):
            started = time.perf_counter()
            try:
                client.ask(text, session=f"fuzz-{number // 5}")
            except ApiError as error:  # refused with a reason is an answer
                reason = str(error)[:60]
                refused[reason] = refused.get(reason, 0) + 1
                if "closed the connection" in reason:  # a line over the protocol's limit
                    client.close()
                    client = ApiClient(socket_path, timeout=60).connect()
            except OSError:
                crashed = True
                break
            seconds.append(time.perf_counter() - started)
            if number % 1000 == 999:
                memory.append((number + 1, rss_mb(server.pid)))
    finally:
        client.close()
        crashed = crashed or server.poll() is not None
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    summarize("socket API, one serve process", seconds, memory, len(texts), crashed)
    if refused:
        print(f"    refused by the API with a reason: {sum(refused.values())} ({refused})")


WRITER = textwrap.dedent("""
    import sys
    from assistant.core import open_assistant

    assistant = open_assistant(sys.argv[1], plugins=False)
    writer, start = sys.argv[2], int(sys.argv[3])
    for i in range(start, start + 100000):
        kind = i % 3
        if kind == 0:
            text = f"when I say routine {writer} {i}, set a timer for 3 minutes"
        elif kind == 1:
            text = f"my favourite colour is shade {writer} {i}"
        else:
            text = f"add item {writer} {i} to my crash list"
        turn = assistant.handle_text(text, session_id=writer)
        if turn.outcome == "success":
            print(f"confirmed {kind} {i}", flush=True)
""")


def database_text(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def written(dump: str, writer: str, kind: int, index: int) -> bool:
    return [f"routine {writer} {index}", f"shade {writer} {index}", f"item {writer} {index}"][kind] in dump


def kill_rounds(folder: Path, rounds: int, rng: random.Random) -> None:
    home = folder / "kill-home"
    script = folder / "writer.py"
    script.write_text(WRITER)
    confirmed: list[tuple[str, int, int]] = []
    next_index = 0
    integrity_failures = 0
    for _ in range(rounds):
        writers = {
            name: subprocess.Popen(
                [str(PYTHON), str(script), str(home), name, str(next_index)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=environment(home),
                cwd=ROOT,
            )
            for name in ("a", "b")
        }
        time.sleep(rng.uniform(1.0, 4.0))  # start-up, then some turns
        for process in writers.values():
            process.send_signal(signal.SIGKILL)
        for name, process in writers.items():
            process.wait()
            assert process.stdout is not None
            for line in process.stdout.read().splitlines():
                _, kind, index = line.split()
                confirmed.append((name, int(kind), int(index)))
        next_index = (max(i for _, _, i in confirmed) if confirmed else next_index) + 1000
        database = home / "assistant.db"
        connection = sqlite3.connect(database)
        try:
            if connection.execute("pragma integrity_check").fetchone()[0] != "ok":
                integrity_failures += 1
        finally:
            connection.close()
    dump = database_text(home / "assistant.db")
    lost = [entry for entry in confirmed if not written(dump, *entry)]
    print(
        f"- kill -9 rounds: {rounds} rounds, two writers each; {len(confirmed)} confirmed writes, "
        f"{len(lost)} lost; integrity_check failed {integrity_failures} times"
    )
    if lost:
        print(f"    lost, e.g.: {lost[:5]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--legs", default="chat,api", help="which fuzzed legs to run: chat, api or both (default both)"
    )
    args = parser.parse_args()
    legs = {leg.strip() for leg in args.legs.split(",") if leg.strip()}
    texts = list(fuzzed_requests(args.turns, seed=args.seed))
    with tempfile.TemporaryDirectory(prefix="reliability-") as scratch:
        folder = Path(scratch)
        print(f"# Reliability ({args.turns} fuzzed turns, {args.rounds} kill -9 rounds, seed {args.seed})\n")
        if "chat" in legs:
            fuzz_chat(folder / "chat-home", texts)
        if "api" in legs:
            fuzz_api(folder / "api-home", texts)
        if args.rounds:
            kill_rounds(folder, args.rounds, random.Random(args.seed))


if __name__ == "__main__":
    sys.exit(main())
