"""``assistant-homeassistant``: connect the assistant to Home Assistant, or check the connection.

    assistant-homeassistant connect [--url URL] [--home DIR]   asks for the token (never echoed)
    assistant-homeassistant check [--home DIR]                 tries the saved address and token

The token is read from the terminal without echo, or from standard input when piped, never
from the command line (where other users and the shell history could see it).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from assistant.config import Home
from assistant_homeassistant.errors import HomeAssistantError
from assistant_homeassistant.setup import check_connection, connect_home, saved
from assistant_homeassistant.token_file import read_token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="assistant-homeassistant", description="Connect the desk assistant to Home Assistant."
    )
    parser.add_argument("--home", help="the assistant's home folder (default: the usual one)")
    actions = parser.add_subparsers(dest="action", required=True)
    connect = actions.add_parser(
        "connect", help="save the address and a long-lived access token, after checking them"
    )
    connect.add_argument("--url", help="e.g. http://homeassistant.local:8123")
    actions.add_parser("check", help="try the saved address and token")
    args = parser.parse_args(argv)
    home = Home.locate(args.home)
    if args.action == "connect":
        url = args.url or input("Home Assistant address (e.g. http://homeassistant.local:8123): ")
        if sys.stdin.isatty():
            token = getpass.getpass("Long-lived access token (profile → Security; not shown): ")
        else:
            token = sys.stdin.readline()
        result = connect_home(home, url, token)
    else:
        url, token_file = saved(home)
        if not url:
            print("Not connected yet: run  assistant-homeassistant connect")
            return 1
        try:
            result = check_connection(url, read_token(token_file))
        except HomeAssistantError as error:
            print(error)
            return 1
    print(result.message)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
