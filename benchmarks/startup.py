"""How long the command line takes to answer, as ratios to a bare Python start in one run.

Each figure is the median of several fresh processes of the real ``assistant`` command:

- ``python -c pass`` and ``python -c "import numpy, sqlite_utils, hassil"`` (what a typed turn
  truly needs to load: arrays, the database, the template matcher) as the yardsticks;
- ``assistant ask`` on an existing home;
- a new home's first answer (no plug-ins: the base model answers);
- a new home with the two example plug-ins (their intents join the base model's memory);
- the first start after teaching a command, and the one after it;
- ``assistant --help``.

Run from the repository root: ``.venv/bin/python benchmarks/startup.py [--runs 5]``.
Children run without PYTHONDONTWRITEBYTECODE, as a user's shell would, so compiled modules
are reused; the first run of each kind warms them and is not counted.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSISTANT = ROOT / ".venv" / "bin" / "assistant"
PYTHON = ROOT / ".venv" / "bin" / "python"
EXAMPLES = ROOT / "examples"


def environment(home: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "ASSISTANT_HOME")}
    if home is not None:
        env["ASSISTANT_HOME"] = str(home)
    return env


def timed(command: list[str], home: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one process (it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, env=environment(home), capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def median_of(runs: int, make: object) -> float:
    values = [make() for _ in range(runs)]  # type: ignore[operator]
    return statistics.median(values)


def ask(home: Path, text: str) -> float:
    return timed([str(ASSISTANT), "ask", text], home)[0]


def new_home(folder: Path, plugins: bool) -> Path:
    home = Path(tempfile.mkdtemp(dir=folder))
    if plugins:
        (home / "plugins").mkdir()
        for name in ("desk_lamp_plugin.py", "volume_plugin.py"):
            shutil.copy(EXAMPLES / name, home / "plugins" / name)
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per figure (default 5)")
    args = parser.parse_args()
    runs = args.runs
    if not ASSISTANT.exists():
        raise SystemExit("Run ./run-tests or ./start first: .venv is missing.")
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as scratch:
        folder = Path(scratch)
        timed([str(PYTHON), "-c", "import numpy, sqlite_utils, hassil"])  # warm the page cache
        bare = median_of(runs, lambda: timed([str(PYTHON), "-c", "pass"])[0])
        needs = median_of(runs, lambda: timed([str(PYTHON), "-c", "import numpy, sqlite_utils, hassil"])[0])
        helped = median_of(runs, lambda: timed([str(ASSISTANT), "--help"])[0])

        home = new_home(folder, plugins=False)
        ask(home, "what time is it")  # creates the home
        existing = median_of(runs, lambda: ask(home, "what time is it"))
        memory = timed([str(ASSISTANT), "ask", "what time is it"], home)[1]

        first = median_of(runs, lambda: ask(new_home(folder, plugins=False), "what time is it"))
        first_plugins = median_of(runs, lambda: ask(new_home(folder, plugins=True), "turn on the desk lamp"))

        after_teaching: list[float] = []
        second_after: list[float] = []
        for _ in range(runs):
            taught = new_home(folder, plugins=False)
            ask(taught, "when I say tea time, set a timer for 4 minutes")
            after_teaching.append(ask(taught, "tea time"))
            second_after.append(ask(taught, "tea time"))

    print("# Command-line start-up (median of", runs, "fresh processes each)\n")
    rows = [
        ("python -c pass", bare, ""),
        ("python: import numpy, sqlite_utils, hassil", needs, ""),
        ("assistant --help", helped, ""),
        ("ask, existing home", existing, "< 1 s"),
        ("ask, new home (first answer)", first, "< 3 s"),
        ("ask, new home with 2 example plug-ins", first_plugins, "< 3 s"),
        ("ask, first start after teaching", statistics.median(after_teaching), "< existing + 1 s"),
        ("ask, second start after teaching", statistics.median(second_after), ""),
    ]
    for name, seconds, target in rows:
        print(f"- {name:45s} {seconds:6.2f} s  {target}")
    print()
    print(f"ask against 3x bare python + needed loads: {existing:.2f} s vs {3 * bare + needs:.2f} s")
    print(f"ask against 3x (bare python + needed loads): {existing:.2f} s vs {3 * (bare + needs):.2f} s")
    print(f"peak resident memory of ask:  {memory:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
