"""A process writing teachings killed at random points never loses a confirmed one."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from assistant.memory.aliases import AliasRepository
from assistant.memory.commands import CommandRepository
from assistant.memory.preferences import PreferenceRepository
from assistant.memory.store import Store

WRITER = textwrap.dedent("""
    import sys
    from assistant.memory.aliases import AliasRepository
    from assistant.memory.commands import CommandRepository
    from assistant.memory.preferences import PreferenceRepository
    from assistant.memory.store import Store
    from assistant.memory.teaching_records import CommandStep

    store = Store(sys.argv[1])
    start = int(sys.argv[2])
    step = [CommandStep("set a timer for 4 minutes", "timer.set", {"duration": 240})]
    for i in range(start, start + 100000):
        kind = i % 3
        if kind == 0:
            PreferenceRepository(store).set(f"fact_{i}", f"value {i}", "general")
        elif kind == 1:
            CommandRepository(store).save(f"command {i}", [f"command {i}", f"run {i}"], step * 3)
        else:
            AliasRepository(store).save(f"phrase {i}", "what time is it")
        print(f"saved {i}", flush=True)
""")

ROOT = Path(__file__).resolve().parents[2]


def _confirmed(store: Store, i: int) -> bool:
    kind = i % 3
    if kind == 0:
        return PreferenceRepository(store).get(f"fact_{i}") is not None
    if kind == 1:
        command = CommandRepository(store).get(f"command {i}")
        return command is not None and len(command.steps) == 3 and len(command.triggers) == 2
    return AliasRepository(store).get(f"phrase {i}") is not None


def test_killed_writers_never_corrupt_or_lose_confirmed_teachings(tmp_path: Path) -> None:
    database = tmp_path / "assistant.db"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(7)
    confirmed: list[int] = []
    next_index = 0
    for _ in range(20):
        process = subprocess.Popen(
            [sys.executable, str(script), str(database), str(next_index)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert process.stdout is not None
        wanted = rng.randint(1, 40)
        for _line in range(wanted):
            line = process.stdout.readline()
            if not line:
                break
            confirmed.append(int(line.split()[1]))
        process.send_signal(signal.SIGKILL)
        process.wait()
        # Each run starts past anything the last one may have written unconfirmed.
        next_index = (max(confirmed) if confirmed else next_index) + 1000
        store = Store(database)
        try:
            assert store.integrity_ok()
            missing = [i for i in confirmed if not _confirmed(store, i)]
            assert not missing, f"confirmed but lost: {missing[:5]}"
        finally:
            store.close()
    assert len(confirmed) >= 20
