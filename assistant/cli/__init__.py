"""The ``assistant`` command line.

Each command group lives in its own module with a ``register(subparsers)``
function that adds its sub-commands and sets ``func`` on them. ``func``
takes the parsed arguments and returns the exit code.

Exit codes scripts can rely on:
  0 success, 1 the request failed (not understood, action failed),
  2 bad usage or bad input (file, audio, JSON), 3 the environment is missing
  something (model, sound device, running instance), 4 storage problem.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3
EXIT_STORAGE = 4

# Command modules, each adding its own sub-commands. Order = order in --help.
COMMAND_MODULES = [
    "assistant.cli.conversation",  # ask, chat
    "assistant.cli.speech",  # listen, say, models, devices
    "assistant.cli.serve",  # serve
    "assistant.cli.nlu",  # nlu evaluate, test
    "assistant.cli.teaching",  # commands, prefs, aliases, export, import
    "assistant.cli.learned",  # learned
    "assistant.cli.plugins",  # plugins
    "assistant.cli.settings",  # config
]


class CommandError(Exception):
    """A command cannot go on; printed without a traceback, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="A teachable, offline voice assistant for the desk. "
        "With no command, opens the terminal UI.",
    )
    parser.add_argument(
        "--home",
        help="keep config, database, models and plug-ins in this folder "
        "(default: $ASSISTANT_HOME, else the XDG folders)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log details to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue  # command group not built yet
            raise
        module.register(subparsers)
    return parser


def _run_ui(args: argparse.Namespace) -> int:
    from tui.app import run_app

    return run_app(home=args.home)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Only warnings reach the terminal (details go to the log file) unless --verbose.
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(console)
    logging.getLogger().setLevel(logging.DEBUG if args.verbose else logging.INFO)
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", _run_ui)
    from assistant.config import ConfigError
    from assistant.memory.store import StoreError

    try:
        return func(args)
    except CommandError as error:
        print(f"assistant: {error}", file=sys.stderr)
        return error.code
    except ConfigError as error:
        print(f"assistant: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreError as error:
        print(f"assistant: {error}", file=sys.stderr)
        return EXIT_STORAGE
    except KeyboardInterrupt:
        return 130
