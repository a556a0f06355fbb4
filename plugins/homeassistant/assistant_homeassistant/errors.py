"""What can go wrong talking to Home Assistant, each with a message a person can act on."""

from __future__ import annotations


class HomeAssistantError(Exception):
    """Base: the message is said to the user as it is."""


class NotConnected(HomeAssistantError):
    """Home Assistant cannot be reached now (down, wrong address, network)."""


class BadToken(HomeAssistantError):
    """Home Assistant refused the access token (revoked, mistyped, expired)."""


class CommandFailed(HomeAssistantError):
    """Home Assistant answered a command with an error (a refused service call)."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code
