"""``assistant commands|prefs|aliases|export|import|undo``: what you taught, from the shell.

Reading and forgetting only touch the database (quick, and safe while the
assistant runs elsewhere); teaching something new opens the assistant, because
each step and target must be understood before it is stored.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    _register_commands(subparsers)
    _register_prefs(subparsers)
    _register_aliases(subparsers)
    export = subparsers.add_parser("export", help="everything taught and learned, as JSON")
    export.add_argument("file", nargs="?", help="write here (default: standard output)")
    export.set_defaults(func=run_export)
    importing = subparsers.add_parser("import", help="load an export; all of it or nothing")
    importing.add_argument("file", help="a file written by `assistant export` ('-' for standard input)")
    importing.add_argument("--replace", action="store_true", help="where it differs, the file wins")
    importing.add_argument(
        "--with-timers",
        action="store_true",
        help="also start the file's running timers (left out by default: they belong to its home)",
    )
    importing.add_argument(
        "--with-settings",
        action="store_true",
        help="also take the file's settings (left out by default: wake phrase, engines, voice...)",
    )
    importing.add_argument("--json", action="store_true", help="print the report as JSON")
    importing.set_defaults(func=run_import)
    undo = subparsers.add_parser("undo", help="undo the last change to what was taught (or change ID)")
    undo.add_argument("id", nargs="?", type=int, help="a change id from `assistant undo --list`")
    undo.add_argument("--list", action="store_true", help="show recent changes instead")
    undo.add_argument("--json", action="store_true", help="with --list: one JSON array")
    undo.set_defaults(func=run_undo)


def _register_commands(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("commands", help="custom commands you taught")
    actions = parser.add_subparsers(dest="commands_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every custom command")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    listing.set_defaults(func=run_commands_list)
    show = actions.add_parser("show", help="one command's phrases and steps")
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="one JSON object")
    show.set_defaults(func=run_commands_show)
    remove = actions.add_parser("rm", help="forget a command")
    remove.add_argument("name")
    remove.set_defaults(func=run_commands_rm)
    rename = actions.add_parser("rename", help="rename a command")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(func=run_commands_rename)
    add = actions.add_parser("add", help="teach a command: a name, phrases and steps")
    add.add_argument("name")
    add.add_argument(
        "--trigger",
        "-t",
        action="append",
        default=[],
        help="a phrase that runs it (repeat; default: the name); N or {name} for a value",
    )
    add.add_argument(
        "--step",
        "-s",
        action="append",
        default=[],
        required=True,
        help="one thing to do, as you would say it (repeat, in order)",
    )
    add.add_argument("--replace", action="store_true", help="replace a command with this name")
    add.add_argument("--json", action="store_true", help="print the command as JSON")
    add.set_defaults(func=run_commands_add)


def _register_prefs(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("prefs", help="what you told it about yourself")
    actions = parser.add_subparsers(dest="prefs_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every preference")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    listing.set_defaults(func=run_prefs_list)
    setting = actions.add_parser("set", help="set a preference, e.g. `prefs set home_city Boston`")
    setting.add_argument("key")
    setting.add_argument("value")
    setting.add_argument("--category", help="identity, location, units, music, people... (default: guessed)")
    setting.set_defaults(func=run_prefs_set)
    remove = actions.add_parser("rm", help="forget a preference (by key or value)")
    remove.add_argument("key")
    remove.set_defaults(func=run_prefs_rm)


def _register_aliases(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("aliases", help="phrases that mean another request")
    actions = parser.add_subparsers(dest="aliases_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every alias")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    listing.set_defaults(func=run_aliases_list)
    add = actions.add_parser("add", help="make PHRASE mean TARGET")
    add.add_argument("phrase")
    add.add_argument("target")
    add.add_argument("--force", action="store_true", help="even if PHRASE already means something")
    add.set_defaults(func=run_aliases_add)
    remove = actions.add_parser("rm", help="forget an alias")
    remove.add_argument("phrase")
    remove.set_defaults(func=run_aliases_rm)


# --- opening ------------------------------------------------------------------------


@contextmanager
def _store(args: argparse.Namespace) -> Iterator[Any]:
    from assistant.config import Home
    from assistant.memory.store import Store

    store = Store(Home.locate(args.home).ensure().database_file)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _teaching(args: argparse.Namespace) -> Iterator[Any]:
    """The running TeachingService (understanding loaded), closed afterwards."""
    from assistant.core import open_assistant
    from assistant.memory.teaching_records import TeachingError

    assistant = open_assistant(args.home)
    try:
        yield assistant.teaching
    except TeachingError as error:
        raise CommandError(str(error), EXIT_FAILED) from error
    finally:
        assistant.close()


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


# --- commands -----------------------------------------------------------------------


def run_commands_list(args: argparse.Namespace) -> int:
    from assistant.memory.commands import CommandRepository
    from assistant.teach.step_words import describe_steps, spoken_template

    with _store(args) as store:
        commands = CommandRepository(store).all()
    if args.json:
        _print_json([command.to_dict() for command in commands])
        return EXIT_OK
    if not commands:
        print("No custom commands yet. Teach one: assistant commands add NAME --step '...'")
        return EXIT_OK
    for command in commands:
        phrases = ", ".join(f"\u201c{spoken_template(t)}\u201d" for t in command.triggers)
        print(f"{command.name}  ({phrases}): {describe_steps(command)}")
    return EXIT_OK


def run_commands_show(args: argparse.Namespace) -> int:
    from assistant.memory.commands import CommandRepository
    from assistant.teach.phrasing import clean
    from assistant.teach.step_words import spoken_template

    with _store(args) as store:
        command = CommandRepository(store).get(clean(args.name))
    if command is None:
        raise CommandError(f"There is no command called \u201c{args.name}\u201d.", EXIT_BAD_INPUT)
    if args.json:
        _print_json(command.to_dict())
        return EXIT_OK
    print(f"{command.name}  (intent {command.intent}, taught by {command.source})")
    for trigger in command.triggers:
        print(f"  when you say \u201c{spoken_template(trigger)}\u201d")
    for number, step in enumerate(command.steps, start=1):
        print(f"  {number}. {spoken_template(step.text)}  [{step.intent}]")
    return EXIT_OK


def run_commands_rm(args: argparse.Namespace) -> int:
    from assistant.memory.commands import CommandRepository
    from assistant.teach.phrasing import clean

    with _store(args) as store:
        forgotten = CommandRepository(store).delete(clean(args.name))
    if forgotten is None:
        raise CommandError(f"There is no command called \u201c{args.name}\u201d.", EXIT_BAD_INPUT)
    print(f"Forgot the command \u201c{forgotten.name}\u201d (undo with `assistant undo`).")
    return EXIT_OK


def run_commands_rename(args: argparse.Namespace) -> int:
    with _teaching(args) as teaching:
        command = teaching.rename_command(args.old, args.new)
    print(f"Renamed to \u201c{command.name}\u201d.")
    return EXIT_OK


def run_commands_add(args: argparse.Namespace) -> int:
    from assistant.teach.step_words import describe_steps

    with _teaching(args) as teaching:
        command = teaching.save_command(
            args.name, args.trigger, args.step, source="cli", replace=args.replace
        )
        took = teaching.last_teach_ms
    if args.json:
        _print_json({**command.to_dict(), "usable_after_ms": round(took, 1)})
        return EXIT_OK
    print(f"Taught \u201c{command.name}\u201d: {describe_steps(command)}.")
    return EXIT_OK


# --- preferences ----------------------------------------------------------------------


def run_prefs_list(args: argparse.Namespace) -> int:
    from assistant.memory.preferences import PreferenceRepository

    with _store(args) as store:
        rows = PreferenceRepository(store).all()
    if args.json:
        _print_json([row.to_dict() for row in rows])
        return EXIT_OK
    if not rows:
        print("No preferences yet. Set one: assistant prefs set home_city Boston")
        return EXIT_OK
    for row in rows:
        print(f"{row.category:<10} {row.key:<18} {row.value}  ({row.source})")
    return EXIT_OK


def run_prefs_set(args: argparse.Namespace) -> int:
    from assistant.memory.preferences import PreferenceRepository
    from assistant.teach.service import KEY_CATEGORIES, preference_key

    key = preference_key(args.key)
    if not key or not args.value.strip():
        raise CommandError(
            "Give a key and a value, e.g. `assistant prefs set home_city Boston`.", EXIT_BAD_INPUT
        )
    with _store(args) as store:
        row = PreferenceRepository(store).set(
            key, args.value, args.category or KEY_CATEGORIES.get(key, "general"), source="cli"
        )
    print(f"{row.key} = {row.value}")
    return EXIT_OK


def run_prefs_rm(args: argparse.Namespace) -> int:
    from assistant.memory.preferences import PreferenceRepository
    from assistant.teach.service import preference_key

    with _store(args) as store:
        repository = PreferenceRepository(store)
        found = repository.find(args.key) or repository.find(preference_key(args.key))
        for row in found:
            repository.delete(row.key)
    if not found:
        raise CommandError(f"No preference called \u201c{args.key}\u201d.", EXIT_BAD_INPUT)
    print("Forgot " + ", ".join(f"{row.key} ({row.value})" for row in found) + ".")
    return EXIT_OK


# --- aliases --------------------------------------------------------------------------


def run_aliases_list(args: argparse.Namespace) -> int:
    from assistant.memory.aliases import AliasRepository

    with _store(args) as store:
        aliases = AliasRepository(store).all()
    if args.json:
        _print_json([alias.to_dict() for alias in aliases])
        return EXIT_OK
    if not aliases:
        print("No aliases yet. Add one: assistant aliases add 'lights out' 'turn off all lights'")
        return EXIT_OK
    for alias in aliases:
        print(f"\u201c{alias.phrase}\u201d \u2192 \u201c{alias.target}\u201d")
    return EXIT_OK


def run_aliases_add(args: argparse.Namespace) -> int:
    with _teaching(args) as teaching:
        alias = teaching.save_alias(args.phrase, args.target, source="cli", force=args.force)
    print(f"\u201c{alias.phrase}\u201d now means \u201c{alias.target}\u201d.")
    return EXIT_OK


def run_aliases_rm(args: argparse.Namespace) -> int:
    from assistant.memory.aliases import AliasRepository
    from assistant.teach.phrasing import clean

    with _store(args) as store:
        forgotten = AliasRepository(store).delete(clean(args.phrase))
    if forgotten is None:
        raise CommandError(f"\u201c{args.phrase}\u201d is not an alias.", EXIT_BAD_INPUT)
    print(f"Forgot the alias \u201c{forgotten.phrase}\u201d.")
    return EXIT_OK


# --- export, import, undo -------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    from assistant.config import ConfigError, Home, Settings
    from assistant.memory.export import describe_contents, export_all, write_export

    try:
        settings: Settings | None = Settings.load(Home.locate(args.home))
        unreadable = ""
    except ConfigError as error:  # what was taught matters more than a broken settings file
        settings, unreadable = None, f" The settings were left out: {error}"
    with _store(args) as store:
        data = export_all(store, settings=settings)
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if args.file in (None, "-"):
        print(text)
        if unreadable:
            print(f"assistant:{unreadable}", file=sys.stderr)
        return EXIT_OK
    target = Path(args.file)
    try:
        write_export(target, data)
    except OSError as error:
        raise CommandError(f"Cannot write {target}: {error.strerror}.", EXIT_BAD_INPUT) from error
    print(f"Exported {describe_contents(data)} to {target}.{unreadable}", file=sys.stderr)
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from assistant.memory.export import ExportError, parse_export

    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            text = Path(args.file).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot read {args.file}: {error.strerror}.", EXIT_BAD_INPUT) from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{args.file} is not UTF-8 text, so not an export.", EXIT_BAD_INPUT) from error
    try:
        data = parse_export(text)
    except ExportError as error:
        raise CommandError(f"Nothing imported: {error}.", EXIT_BAD_INPUT) from error
    with _teaching(args) as teaching:
        report = teaching.import_data(
            data, replace=args.replace, with_timers=args.with_timers, with_settings=args.with_settings
        )
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def run_undo(args: argparse.Namespace) -> int:
    from assistant.memory.changes import ChangeConflict, ChangeLog

    with _store(args) as store:
        log = ChangeLog(store)
        if args.list:
            changes = log.recent(50)
            if args.json:
                _print_json([change.to_dict() for change in changes])
                return EXIT_OK
            for change in changes:
                mark = " (undone)" if change.undone else ""
                print(f"{change.id:>5}  {change.action:<7} {change.description}{mark}")
            return EXIT_OK
        try:
            change = log.undo(args.id)
        except ChangeConflict as error:
            raise CommandError(str(error), EXIT_FAILED) from error
    print(f"Undone: {change.description}.")
    return EXIT_OK
