"""What a request's text may be before any stage sees it.

Requests come from people, recognizers and scripts: a line may hold control characters,
undecodable bytes (a non-UTF-8 terminal gives lone surrogates), or 100 KB of pasted text.
``clean_request`` makes it plain text; ``too_long`` refuses what no person would say in one
request before any work is done, so one request can neither crash a stage nor hold the
turn lock for long.
"""

from __future__ import annotations

import unicodedata

MAX_REQUEST_CHARACTERS = 600
"""About 100 words: longer than any request or teaching sentence people say in one breath."""
TOO_LONG_REPLY = (
    "That's too long for me to take in one go. Please say it in a shorter request "
    f"(under {MAX_REQUEST_CHARACTERS} characters)."
)


def clean_request(text: str) -> str:
    """``text`` as plain, valid Unicode on one line: undecodable characters and control and
    format characters become spaces, runs of whitespace one space."""
    valid = text.encode("utf-8", "replace").decode("utf-8", "replace")
    kept = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in valid)
    return " ".join(kept.split())


def too_long(text: str) -> bool:
    return len(text) > MAX_REQUEST_CHARACTERS
