"""The teaching side of every turn (``TurnHooks``): aliases before understanding, an offer
to teach what nobody understood, and the user's name in the first good reply."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.teach import moments
from assistant.teach.phrasing import is_thing
from assistant.turn import TurnSource

if TYPE_CHECKING:
    from assistant.dialogue.session import Outcome, Session
    from assistant.teach.service import TeachingService
    from assistant.turn import TurnResult

NAMED = "teaching.named"
"""Session key: the user was already called by name in this conversation."""


ALIAS_USED = "teaching.alias_used"
"""Session key: the phrasing of the alias applied in the turn in progress."""


class TeachingHooks:
    """Implements ``TurnHooks`` over one ``TeachingService``."""

    name = "teaching"

    def __init__(self, service: TeachingService) -> None:
        self.service = service

    def before_understanding(self, text: str, session: Session) -> tuple[str, TurnSource] | None:
        found = self.service.match_alias(text)
        if found is not None:
            target = found[0]
            session.data[ALIAS_USED] = found[1]  # the turn says which alias, once it is done
            # "groceries" alone, for "my shopping list": read that list.
            if is_thing(target) and target.endswith("list"):
                return f"read {target}", TurnSource.ALIAS
            return target, TurnSource.ALIAS
        return self.service.replace_thing_aliases(text)

    def on_low_confidence(self, text: str, session: Session) -> tuple[str, TurnSource] | None:
        return None  # learned rewrites are the learning service's

    def not_understood(self, text: str, session: Session) -> Outcome | None:
        return moments.offer_to_teach(self.service, text, session)

    def offer_after_wrong(self, previous: TurnResult, session: Session) -> Outcome | None:
        return moments.offer_after_wrong(self.service, previous, session)

    def after_turn(self, turn: TurnResult, session: Session) -> None:
        """Say which alias reworded the request; greet the user by name in the first good
        reply of a conversation."""
        alias = session.data.pop(ALIAS_USED, None)
        if alias and turn.learned_rewrite and turn.source == "alias":
            turn.learned_from = alias
        name = self.service.user_name()
        if not name or session.data.get(NAMED) or turn.outcome != "success" or not turn.reply:
            return
        personal = personalise(turn.reply, name)
        if personal is not None:
            turn.reply = personal
            session.data[NAMED] = True


def personalise(reply: str, name: str) -> str | None:
    """'Okay. Timer set.' -> 'Okay, Sam. Timer set.'; None when it would not sound natural."""
    if name.lower() in reply.lower():
        return None
    match = re.match(
        r"^(okay|ok|sure|done|hi|hello|hey|good (?:morning|afternoon|evening)|got it|all right)\b[,.!]?",
        reply,
        re.IGNORECASE,
    )
    if match is None:
        return None
    rest = reply[match.end() :]
    ending = (
        "!" if match.group(1).lower() in ("hi", "hello", "hey") or "good" in match.group(1).lower() else "."
    )
    rest = rest.lstrip(" ,.!")
    rest = rest[:1].upper() + rest[1:]
    return f"{match.group(1)}, {name}{ending}{' ' + rest if rest else ''}"
