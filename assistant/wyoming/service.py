"""One remote service an engine uses: its address, what it offers, its health."""

from __future__ import annotations

from typing import Any

from wyoming.info import Info

from assistant.wyoming.client import ServiceConnection, describe
from assistant.wyoming.endpoint import WyomingError, parse_endpoint
from assistant.wyoming.health import ServiceHealth, register


class RemoteService:
    """Connects on demand; asks ``describe`` on the first connection to show what is offered."""

    def __init__(self, uri: str, role: str, kind: str, timeout: float, retry_seconds: float) -> None:
        self.endpoint = parse_endpoint(uri)
        self.kind = kind
        """asr, tts or wake: which part of the service's info we use."""
        self.timeout = timeout
        self.health = register(ServiceHealth(role=role, uri=self.endpoint.uri, retry_seconds=retry_seconds))
        self.info: Info | None = None

    def connect(self, connect_timeout: float | None = None) -> ServiceConnection:
        """A fresh connection; raises WyomingError when the service cannot be used.

        ``connect_timeout`` is shorter for callers that must not stall (the wake word listens
        all the time: a host that is off must not hold up the audio for the whole timeout)."""
        if self.info is None:
            self.info = describe(self.endpoint, self.timeout, connect_timeout)
            if not self.programs():
                raise WyomingError(
                    f"{self.endpoint} offers no {self.kind} service ({offered(self.info)}). "
                    f"Point the setting at a Wyoming {self.kind} service."
                )
            self.health.detail = f"{offered(self.info)}"
        return ServiceConnection(self.endpoint, self.timeout, connect_timeout=connect_timeout)

    def programs(self) -> list[Any]:
        if self.info is None:
            return []
        return [program for program in getattr(self.info, self.kind) or [] if program.installed]

    @property
    def program_name(self) -> str:
        programs = self.programs()
        return programs[0].name if programs else "unknown"

    def forget_info(self) -> None:
        """After a failure the service may come back as another program: describe it again."""
        self.info = None


def offered(info: Info) -> str:
    """What a service offers, in a few words: "asr: faster-whisper 3.8.1 (small-int8)"."""
    parts = []
    for kind in ("asr", "tts", "wake", "handle", "intent", "satellite"):
        value = getattr(info, kind, None)
        programs = value if isinstance(value, list) else ([value] if value else [])
        for program in programs:
            models = getattr(program, "models", None) or getattr(program, "voices", None) or []
            names = ", ".join(model.name for model in models[:3])
            version = f" {program.version}" if getattr(program, "version", None) else ""
            parts.append(f"{kind}: {program.name}{version}" + (f" ({names})" if names else ""))
    return "; ".join(parts) or "nothing"
