"""``assistant plugins``: which plug-ins loaded, which did not and why; ``plugins check FILE``.

A plug-in file another user owns or could change is listed as ``refused``, with the command
that fixes it; it is never run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, CommandError

if TYPE_CHECKING:
    from assistant.plugins.loader import PluginStatus


def register(subparsers: argparse._SubParsersAction) -> None:
    plugins = subparsers.add_parser(
        "plugins", help="list plug-ins: loaded, disabled, failed or refused, and why"
    )
    plugins.add_argument("--json", action="store_true", help="one JSON array of plug-in statuses")
    plugins.set_defaults(func=run_list)
    actions = plugins.add_subparsers(dest="plugins_command", metavar="ACTION")
    check = actions.add_parser("check", help="load one plug-in file on its own and report problems")
    check.add_argument("file", help="a plug-in .py file")
    check.add_argument("--json", action="store_true", help="print the status as JSON")
    check.set_defaults(func=run_check)


def _load(home_dir: str | None, entry_points: bool = True) -> tuple[Path, list[PluginStatus]]:
    from assistant.config import Home, Settings
    from assistant.devices import DeviceRegistry
    from assistant.plugins.loader import load_plugins
    from assistant.skills.registry import SkillRegistry

    home = Home.locate(home_dir).ensure()
    settings = Settings.load(home)
    registry = SkillRegistry(settings)
    registry.load_builtin()  # so clashes with built-in intents are reported
    statuses = load_plugins(
        home,
        registry,
        DeviceRegistry(),
        settings,
        entry_points=None if entry_points else [],
    )
    return home.plugins_dir, statuses


def run_list(args: argparse.Namespace) -> int:
    folder, statuses = _load(args.home)
    if args.json:
        print(json.dumps([status.to_dict() for status in statuses], indent=2))
        return EXIT_OK
    print(f"Plug-ins folder: {folder}")
    if not statuses:
        print("No plug-ins found. Drop a .py file in that folder (see docs/plugins.md).")
        return EXIT_OK
    for status in statuses:
        line = f"  {status.name:<20} {status.status:<9} {status.source}"
        print(line)
        if status.reason:
            print(f"  {'':<20} {'':<9} why: {status.reason}")
        elif status.intents:
            print(f"  {'':<20} {'':<9} intents: {', '.join(status.intents)}")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """Load the file as the only plug-in of a throw-away home, so nothing of the user's changes."""
    source = Path(args.file)
    if not source.is_file() or source.suffix != ".py":
        raise CommandError(f"{source} is not a .py file.", EXIT_BAD_INPUT)
    from assistant.plugins.loader import REFUSED, PluginStatus
    from assistant.privacy import unsafe_code_problem

    # The copy below would be the user's own file: the original's owner and modes count.
    problem = unsafe_code_problem(source.stat(), source)
    if problem:
        status = PluginStatus(name=source.stem, source=str(source), status=REFUSED, reason=problem)
    else:
        status = _check_in_scratch_home(source)
    if args.json:
        print(json.dumps(status.to_dict(), indent=2))
    else:
        print(f"{status.name}: {status.status}" + (f" — {status.reason}" if status.reason else ""))
        if status.intents:
            print(f"intents: {', '.join(status.intents)}")
        if status.devices:
            print(f"devices: {', '.join(status.devices)}")
    return EXIT_OK if status.status not in ("failed", "refused") else EXIT_FAILED


def _check_in_scratch_home(source: Path) -> PluginStatus:
    with tempfile.TemporaryDirectory(prefix="plugin-check-") as scratch:
        from assistant.config import Home

        home = Home.locate(scratch).ensure()
        shutil.copy2(source, home.plugins_dir / source.name)
        sentences = source.with_suffix(".yaml")
        if sentences.exists():
            shutil.copy2(sentences, home.plugins_dir / sentences.name)
        _, statuses = _load(scratch, entry_points=False)
    status = statuses[0]
    status.source = str(source)
    return status
