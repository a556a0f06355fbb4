"""What every Home Assistant handler shares: finding the entity asked for, and saying
Home Assistant's problems as replies that tell the user what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.plugins.api import ActionResult, SkillError
from assistant.skills.parsing import ParseError, parse_number
from assistant_homeassistant import describe, services
from assistant_homeassistant.errors import CommandFailed, HomeAssistantError
from assistant_homeassistant.home import Entity, Home, normalize
from assistant_homeassistant.link import HomeLink

LinkGetter = Callable[[], HomeLink]
"""The plug-in's link (a SkillError when Home Assistant isn't set up)."""


def need(link: HomeLink | None) -> HomeLink:
    if link is None:
        raise SkillError("Home Assistant isn't set up yet. Connect to it in Settings.")
    return link


def entity_of(home: Home, entity_id: str) -> Entity:
    entity = home.entities.get(entity_id)
    if entity is None:
        raise SkillError("That device is no longer in Home Assistant.")
    return entity


def check_link(link: HomeLink) -> Home:
    """The home, or a SkillError saying why Home Assistant can't be used now."""
    if not link.connection.ready.is_set():
        raise SkillError(link.status.detail or "I'm not connected to Home Assistant yet.")
    return link.home()


def find(link: HomeLink, spoken: str, domains: frozenset[str] | None = None) -> Entity:
    home = check_link(link)
    entity = home.find(spoken, domains)
    if entity is None:
        if home.find(spoken) is not None and domains is not None:
            raise SkillError(f"The {spoken} can't do that.")
        same = [e for e in home.listened_for() if normalize(spoken) in e.spoken()]
        if len(same) > 1:
            kinds = " and ".join(sorted({e.domain.replace("_", " ") for e in same}))
            raise SkillError(
                f"Several things in Home Assistant are called {spoken} ({kinds}). "
                "Give one of them an alias there, or say it another way."
            )
        raise SkillError(
            f"I don't know a device called {spoken} in Home Assistant. "
            "If it was renamed or removed there, say its new name."
        )
    return entity


def run(action: Callable[[], ActionResult]) -> ActionResult:
    """Home Assistant's problems as replies that say what to do."""
    try:
        return action()
    except services.Unsupported as error:
        raise SkillError(str(error)) from None
    except CommandFailed as error:
        raise SkillError(f"Home Assistant refused that: {error}") from None
    except HomeAssistantError as error:
        raise SkillError(str(error)) from None


def done(entity: Entity, speech: str | None = None) -> ActionResult:
    return ActionResult(
        speech=speech or describe.describe(entity),
        entity=entity.entity_id,
        entity_name=entity.spoken()[0] if entity.spoken() else entity.name,
        data={"entity_id": entity.entity_id, "state": entity.state},
    )


def percent(value: Any, what: str) -> int:
    try:
        number = parse_number(str(value or "").removesuffix("%").removesuffix(" percent").strip())
    except ParseError:
        raise SkillError(f"Say a {what} from 0 to 100 percent.") from None
    if not 0 <= number <= 100:
        raise SkillError(f"{what.capitalize()} goes from 0 to 100 percent.")
    return int(number)
