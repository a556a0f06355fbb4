"""Extension points of a turn, filled by teaching and learning.

The dialogue manager calls every registered hook at fixed points of a turn;
a hook that has nothing to say returns None. Hooks never raise into the
turn: an exception is logged and the turn goes on without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from assistant.dialogue.session import Outcome, Session
    from assistant.turn import TurnResult, TurnSource


class TurnHooks(Protocol):
    """Implemented by the teaching and learning services."""

    name: str

    def before_understanding(self, text: str, session: Session) -> tuple[str, TurnSource] | None:
        """Replace the request before understanding (aliases). Returns (new text, source)."""

    def on_low_confidence(self, text: str, session: Session) -> tuple[str, TurnSource] | Outcome | None:
        """Offer another wording when the request would fail (learned rewrites), or ask
        about one (an ``Outcome`` whose question is set on the session: "Did you mean ...?")."""

    def not_understood(self, text: str, session: Session) -> Outcome | None:
        """Take over a request nobody understood (teachable moment)."""

    def after_turn(self, turn: TurnResult, session: Session) -> None:
        """Learn from a finished turn; may add ``turn.notices`` or set ``session.pending``."""
