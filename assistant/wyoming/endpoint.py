"""Where a Wyoming service listens: ``tcp://HOST:PORT`` (``wyoming://`` means the same)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_URI = re.compile(r"^(?:tcp|wyoming)://(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):(?P<port>\d{1,5})/?$")


class WyomingError(Exception):
    """A Wyoming service cannot be used (address, connection, protocol); the message says what to do."""


@dataclass(frozen=True)
class Endpoint:
    """A host and TCP port."""

    host: str
    """A name or address; IPv6 without brackets."""
    port: int

    @property
    def uri(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp://{host}:{self.port}"

    @property
    def is_loopback(self) -> bool:
        return self.host in ("localhost", "::1") or self.host.startswith("127.")

    def __str__(self) -> str:
        return self.uri


def is_remote(value: str | None) -> bool:
    """True when an engine setting names a Wyoming service rather than a local engine."""
    return bool(value) and str(value).strip().lower().startswith(("tcp://", "wyoming://"))


def parse_endpoint(value: str, listening: bool = False) -> Endpoint:
    """``tcp://HOST:PORT`` or ``wyoming://HOST:PORT`` as an Endpoint; raises WyomingError.

    ``listening``: an address to serve on, where port 0 means any free port."""
    match = _URI.match(value.strip())
    port = int(match["port"]) if match else -1
    if match is None or not (0 if listening else 1) <= port < 65536:
        raise WyomingError(
            f"{value!r} is not a Wyoming address. Write it like tcp://127.0.0.1:10300 (host and port)."
        )
    return Endpoint(host=match["host"].strip("[]"), port=port)
