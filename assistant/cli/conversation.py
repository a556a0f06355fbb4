"""``assistant ask`` and ``assistant chat``: typed turns for people and scripts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.cli import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_OK, CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    ask = subparsers.add_parser("ask", help="one typed request; prints the reply")
    ask.add_argument("text", nargs="+", help="what you would say")
    ask.add_argument("--json", action="store_true", help="print the whole turn as JSON")
    ask.add_argument("--remote", action="store_true", help="send it to the running assistant (serve or UI)")
    ask.set_defaults(func=run_ask)

    chat = subparsers.add_parser(
        "chat", help="one request per line from stdin, keeping the conversation going"
    )
    chat.add_argument("--json", action="store_true", help="one JSON object per turn")
    chat.set_defaults(func=run_chat)


def run_ask(args: argparse.Namespace) -> int:
    text = " ".join(args.text).strip()
    if not text:
        raise CommandError("Say something, e.g.  assistant ask \"what time is it\"", EXIT_BAD_INPUT)
    if args.remote:
        return _ask_remote(args, text)
    from assistant.core import open_assistant

    assistant = open_assistant(args.home)
    try:
        turn = assistant.handle_text(text)
        _print_turn(turn.to_json(), args.json)
        return EXIT_OK if turn.outcome != "failure" else EXIT_FAILED
    finally:
        assistant.close()


def _ask_remote(args: argparse.Namespace, text: str) -> int:
    from assistant.api.client import ApiUnavailable, ask_remote
    from assistant.api.protocol import ApiError
    from assistant.config import Home

    try:
        result = ask_remote(Home.locate(args.home), text)
    except ApiUnavailable as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    except ApiError as error:
        raise CommandError(f"The running assistant refused the request: {error}", EXIT_FAILED) from error
    _print_turn(result, args.json)
    return EXIT_OK if result.get("outcome") != "failure" else EXIT_FAILED


def run_chat(args: argparse.Namespace) -> int:
    from assistant.core import open_assistant

    assistant = open_assistant(args.home)
    session_id = "chat"
    try:
        for line in sys.stdin:
            text = line.strip()
            if not text:
                continue
            turn = assistant.handle_text(text, session_id)
            _print_turn(turn.to_json(), args.json)
            sys.stdout.flush()
        return EXIT_OK
    finally:
        assistant.close()


def _print_turn(turn: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(turn, ensure_ascii=False, default=str))
        return
    print(turn["reply"])
    for notice in turn.get("notices") or []:
        print(notice)
