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
import os
import select
import sys
from collections.abc import Callable, Sequence
from typing import Any

from assistant.errors import record_uncaught_tracebacks, strict_mode

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
    "assistant.cli.satellite",  # satellite
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


class _CommandParser(argparse.ArgumentParser):
    """A sub-command's parser: takes ``--home`` and ``--verbose`` too, at any depth.

    Their defaults are suppressed so a value given before the command name
    (``assistant --home DIR ask``) is not overwritten by the sub-command's default.
    ``add_subparsers`` makes nested parsers of this same class.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_common_options(self, default=argparse.SUPPRESS)


def _add_common_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--home",
        metavar="DIR",
        default=default,
        help="keep config, database, models and plug-ins in this folder "
        "(default: $ASSISTANT_HOME, else the XDG folders)",
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        default=False if default is None else default,
        help="log details to stderr",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="A teachable, offline voice assistant for the desk. "
        "With no command, opens the terminal UI.",
    )
    _add_common_options(parser, default=None)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
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
    record_uncaught_tracebacks()
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # here, not at exit, so a closed pipe is handled below
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        if not _stdout_reader_gone():
            raise  # some other pipe broke: a real failure
        return _stdout_closed()


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Only warnings reach the terminal (details go to the log file) unless --verbose.
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    console.setFormatter(
        logging.Formatter("%(levelname)s %(name)s: %(message)s") if args.verbose else OneLineFormatter()
    )
    logging.getLogger().addHandler(console)
    logging.getLogger().setLevel(logging.DEBUG if args.verbose else logging.INFO)
    _make_private_at_start(args.home)  # umask 077, and an older too-open home tightened, said once
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", _run_ui)
    try:
        return func(args)
    except CommandError as error:
        print(f"assistant: {error}", file=sys.stderr)
        return error.code
    except BrokenPipeError:
        raise  # main() tells a closed reader from a real failure
    except Exception as error:
        code = _exit_code_for(error)
        if code is not None:
            print(f"assistant: {error}", file=sys.stderr)
            return code
        logging.getLogger(__name__).error("The command failed", exc_info=error)  # the log file keeps it
        if strict_mode():
            raise
        print(
            f"assistant: something went wrong ({type(error).__name__}: {error}). "
            "The details are in the log file (see `assistant config show`); please report it.",
            file=sys.stderr,
        )
        return EXIT_FAILED


class OneLineFormatter(logging.Formatter):
    """What the terminal shows of a log record: one line, never a traceback (the log file
    keeps those; ``--verbose`` shows everything)."""

    def format(self, record: logging.LogRecord) -> str:
        line = record.getMessage().splitlines()[0] if record.getMessage() else ""
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line += f" ({type(error).__name__}: {error})" if str(error) else f" ({type(error).__name__})"
        return f"assistant: {record.levelname.lower()}: {line}"


def _exit_code_for(error: Exception) -> int | None:
    """The exit code of a domain error a command let through, or None for a real bug.

    The modules are looked up, not imported: an error of a module that was never
    loaded cannot have been raised, and importing the store would load SQLite
    helpers (and numpy) for commands that never touch it.
    """
    known = (
        ("assistant.config", "ConfigError", EXIT_BAD_INPUT),
        ("assistant.memory.store", "StoreError", EXIT_STORAGE),
    )
    for module_name, class_name, code in known:
        error_class = getattr(sys.modules.get(module_name), class_name, None)
        if error_class is not None and isinstance(error, error_class):
            return code
    return None


def _stdout_reader_gone() -> bool:
    """Whether the program reading our stdout has closed it (poll reports an error on it)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(flags & (select.POLLERR | select.POLLHUP) for _, flags in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll, or stdout is not a file
        return False


def _stdout_closed() -> int:
    """The reader of our output went away (``assistant config show | head -1``): stop quietly.

    Python would report the failed flush of stdout at exit, so stdout is pointed at
    /dev/null first. Exit 0 like other filters: whatever fitted has been printed.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # stdout is not a real file (tests capture it): nothing will flush to a pipe
    return EXIT_OK


def _make_private_at_start(home_argument: str | None) -> None:
    """Private umask; tighten the home if it exists, and say so on stderr once."""
    from assistant.config import Home
    from assistant.privacy import make_home_private, notice, private_umask

    private_umask()
    try:
        home = Home.locate(home_argument)
    except (OSError, RuntimeError) as error:  # an unusable path: the command itself will say so
        logging.getLogger(__name__).debug("Home not checked for privacy: %s", error)
        return
    count = make_home_private(home)
    if count:
        print(notice(count), file=sys.stderr)
