"""``assistant ask`` and ``assistant chat``: typed turns for people and scripts.

When an assistant already serves this home (the UI or ``assistant serve``), the turns
go to it through the local API: it has its models loaded, so the answer comes at once,
and it is the one process acting on devices and timers. ``--local`` answers in this
process instead; ``--remote`` insists on the running one.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import uuid
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from assistant.cli import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_OK, CommandError

if TYPE_CHECKING:
    from assistant.api.client import ApiClient

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    ask = subparsers.add_parser("ask", help="one typed request; prints the reply")
    ask.add_argument("text", nargs="+", help="what you would say")
    ask.add_argument("--json", action="store_true", help="print the whole turn as JSON")
    _add_where(ask)
    ask.set_defaults(func=run_ask)

    chat = subparsers.add_parser(
        "chat", help="one request per line from stdin, keeping the conversation going"
    )
    chat.add_argument("--json", action="store_true", help="one JSON object per turn")
    _add_where(chat)
    chat.set_defaults(func=run_chat)


def _add_where(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--local",
        action="store_true",
        help="answer in this process even when an assistant is running",
    )
    where.add_argument(
        "--remote",
        action="store_true",
        help="only use the running assistant (UI or serve); exit 3 if none is",
    )


def run_ask(args: argparse.Namespace) -> int:
    text = " ".join(args.text).strip()
    if not text:
        raise CommandError('Say something, e.g.  assistant ask "what time is it"', EXIT_BAD_INPUT)
    client = _running_assistant(args)
    if client is not None:
        return _ask_remote(client, text, args.json)
    from assistant.core import open_assistant

    assistant = open_assistant(args.home)
    try:
        turn = assistant.handle_text(text)
        _print_turn(turn.to_json(), args.json)
        return EXIT_OK if turn.outcome != "failure" else EXIT_FAILED
    finally:
        assistant.close()


def run_chat(args: argparse.Namespace) -> int:
    client = _running_assistant(args)
    if client is not None:
        return _chat_remote(client, args.json)
    from assistant.core import open_assistant

    assistant = open_assistant(args.home)
    session_id = "chat"
    try:
        for text in _lines(sys.stdin):
            turn = assistant.handle_text(text, session_id)
            _print_turn(turn.to_json(), args.json)
            sys.stdout.flush()
        return EXIT_OK
    finally:
        assistant.close()


# ------------------------------------------------------- the running one


def _running_assistant(args: argparse.Namespace) -> ApiClient | None:
    """A client of the assistant serving this home, or None to answer here."""
    if args.local:
        return None
    from assistant.api.client import ApiUnavailable, connect_running
    from assistant.config import Home

    try:
        return connect_running(Home.locate(args.home))
    except ApiUnavailable as error:
        if args.remote:
            raise CommandError(str(error), EXIT_ENVIRONMENT) from error
        log.debug("Answering here: %s", error)
        return None


def _ask_remote(client: ApiClient, text: str, as_json: bool) -> int:
    # A session of its own, ended after the turn: what a new process would have.
    session = f"ask-{uuid.uuid4().hex[:12]}"
    with client:
        try:
            turn = _remote_turn(client, text, session)
        finally:
            _end_session(client, session)
    _print_turn(turn, as_json)
    return EXIT_OK if turn.get("outcome") != "failure" else EXIT_FAILED


def _chat_remote(client: ApiClient, as_json: bool) -> int:
    session = f"chat-{uuid.uuid4().hex[:12]}"
    with client:
        try:
            for text in _lines(sys.stdin):
                _print_turn(_remote_turn(client, text, session), as_json)
                sys.stdout.flush()
        finally:
            _end_session(client, session)
    return EXIT_OK


def _remote_turn(client: ApiClient, text: str, session: str) -> dict[str, Any]:
    from assistant.api.client import ApiUnavailable
    from assistant.api.protocol import ApiError

    try:
        return client.ask(text, session)
    except ApiUnavailable as error:
        raise CommandError(f"The running assistant went away: {error}", EXIT_ENVIRONMENT) from error
    except ApiError as error:
        raise CommandError(f"The running assistant refused the request: {error}", EXIT_FAILED) from error


def _end_session(client: ApiClient, session: str) -> None:
    from assistant.api.protocol import ApiError

    try:
        client.end_session(session)
    except ApiError as error:  # an older server, or it stopped: the answers are already out
        log.debug("Session %s not ended: %s", session, error)


# ------------------------------------------------------------ printing


def _lines(stream: Iterable[str]) -> Iterator[str]:
    """The non-empty lines, stripped. Bytes that are not UTF-8 become U+FFFD rather than
    ending the session (a script's or terminal's encoding is not always ours)."""
    if stream is sys.stdin and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")
    for line in stream:
        text = line.strip()
        if text:
            yield text


def _print_turn(turn: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(turn, ensure_ascii=False, default=str))
        return
    print(turn["reply"])
    for notice in turn.get("notices") or []:
        print(notice)
