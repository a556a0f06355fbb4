"""A speaker for wyoming-satellite's --snd-command: appends the raw audio it is sent to a file."""

from __future__ import annotations

import sys


def main() -> None:
    with open(sys.argv[1], "ab") as out:
        while block := sys.stdin.buffer.read1(65536):
            out.write(block)
            out.flush()


if __name__ == "__main__":
    main()
