"""``assistant config``: show and change settings, and where files live."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from assistant.cli import EXIT_BAD_INPUT, EXIT_OK
from assistant.config import Home, Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    config = subparsers.add_parser("config", help="show or change settings")
    actions = config.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("show", help="all settings and where files live")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_show)
    change = actions.add_parser("set", help="change one setting, e.g. config set wake_phrase 'hey desk'")
    change.add_argument("name")
    change.add_argument("value")
    change.set_defaults(func=run_set)
    config.set_defaults(func=run_show, json=False)


def run_show(args: argparse.Namespace) -> int:
    home = Home.locate(args.home)
    settings = Settings.load(home)
    places = {
        "settings": str(home.settings_file),
        "database": str(home.database_file),
        "models": str(home.models_dir),
        "plugins": str(home.plugins_dir),
        "logs": str(home.logs_dir),
    }
    if args.json:
        print(json.dumps({"settings": asdict(settings), "paths": places}, indent=2))
        return EXIT_OK
    for name, value in asdict(settings).items():
        print(f"{name:28} {value!r}")
    print()
    for name, path in places.items():
        print(f"{name:28} {path}")
    return EXIT_OK


def run_set(args: argparse.Namespace) -> int:
    home = Home.locate(args.home).ensure()
    if "." in args.name:
        return _set_plugin_setting(home, args.name, args.value)
    settings = Settings.load(home).update(**{args.name: args.value})
    settings.save(home)
    print(f"{args.name} = {getattr(settings, args.name)!r}")
    return EXIT_OK


def _set_plugin_setting(home: Home, name: str, value: str) -> int:
    """``homeassistant.url URL``: a plug-in's setting, kept in ``extra.<plugin>.<name>``. The
    plug-in checks it when it loads (``assistant plugins`` shows what it refused)."""
    plugin, _, key = name.partition(".")
    if not plugin or not key or "." in key:
        print(f"Plug-in settings are named plugin.setting, like homeassistant.url, not {name!r}.")
        return EXIT_BAD_INPUT
    settings = Settings.load(home)
    own = settings.extra.get(plugin)
    own = dict(own) if isinstance(own, dict) else {}
    own[key] = _plugin_value(value)
    settings.extra = {**settings.extra, plugin: own}
    settings.save(home)
    print(f"{name} = {own[key]!r}")
    return EXIT_OK


def _plugin_value(text: str) -> object:
    """Numbers and true/false as JSON reads them; anything else is text."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, (bool, int, float)) else text
