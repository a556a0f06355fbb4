"""Notes and named lists: "add milk to my shopping list", "take a note buy stamps".

Slots:
  ``item``: the thing to add or remove ("milk").
  ``list_name``: which list ("shopping", "my to-do list"); optional — the
  user's ``default_list`` preference, else the only list, else "shopping".
  ``note``: the text of a note.
"""

from __future__ import annotations

from assistant.memory.lists import NOTES, ListRepository, normalise_list_name
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)

DEFAULT_LIST = "shopping"
SPOKEN_ITEMS = 10
"""Reading more than this aloud is tiring; the rest is in ``data``."""


def _list_name(request: ActionRequest, ctx: SkillContext, lists: ListRepository) -> str:
    given = str(request.slots.get("list_name") or "").strip()
    if given:
        return normalise_list_name(given)
    preferred = ctx.preferences.get("default_list")
    if preferred:
        return normalise_list_name(preferred)
    names = [name for name in lists.names() if name != NOTES]
    return names[0] if len(names) == 1 else DEFAULT_LIST


def _spoken_list(name: str) -> str:
    return "your notes" if name == NOTES else f"your {name} list"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _split_items(text: str) -> list[str]:
    """'eggs, milk and bread' -> three items; 'salt and pepper' stays one when alone."""
    parts = [part.strip() for part in text.replace(" and ", ",").split(",")]
    parts = [part for part in parts if part]
    if "," not in text:
        return [text.strip()]  # "salt and pepper" is one thing unless commas say otherwise
    return parts


def add_item(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    list_words = str(request.slots.get("list_name") or "").lower().split()
    if list_words and list_words[-1] == "timer" and request.slots.get("item"):
        # "add five minutes to the pasta timer" read as a list called "pasta timer".
        from assistant.skills.timers import extend_timer

        name = " ".join(list_words[:-1])
        return extend_timer(
            ActionRequest("timer.extend", {"duration": request.slots["item"], "name": name}, request.text),
            ctx,
        )
    text = str(request.slots.get("item") or "").strip()
    if not text:
        raise SkillError("What should I add?")
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    now = ctx.clock.now()
    items = _split_items(text)
    for item in items:
        lists.add(name, item, now=now)
    return ActionResult(
        speech=f"Added {_join(items)} to {_spoken_list(name)}.",
        entity=f"list:{name}",
        data={"list": name, "added": items},
    )


def read_list(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    items = [item.text for item in lists.items(name)]
    if not lists.exists(name):
        known = lists.names()
        hint = f" You have: {_join(known)}." if known else ""
        return ActionResult(
            speech=f"You don't have a {name} list yet.{hint}", data={"list": name, "items": []}
        )
    if not items:
        return ActionResult(
            speech=f"{_spoken_list(name).capitalize()} is empty.", data={"list": name, "items": []}
        )
    spoken = items[:SPOKEN_ITEMS]
    more = f", and {len(items) - SPOKEN_ITEMS} more" if len(items) > SPOKEN_ITEMS else ""
    count = "one thing" if len(items) == 1 else f"{len(items)} things"
    return ActionResult(
        speech=f"{_spoken_list(name).capitalize()} has {count}: {_join(spoken)}{more}.",
        entity=f"list:{name}",
        data={"list": name, "items": items},
    )


def remove_item(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    text = str(request.slots.get("item") or "").strip()
    if not text:
        raise SkillError("What should I remove?")
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    removed = lists.remove(name, text)
    if removed is None:
        raise SkillError(f"I couldn't find {text} on {_spoken_list(name)}.")
    return ActionResult(
        speech=f"Removed {removed.text} from {_spoken_list(name)}.",
        entity=f"list:{name}",
        data={"list": name, "removed": removed.text},
    )


def clear_list(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    count = lists.clear(name)
    if count == 0:
        return ActionResult(
            speech=f"{_spoken_list(name).capitalize()} was already empty.", data={"list": name, "removed": 0}
        )
    return ActionResult(
        speech=f"Cleared {_spoken_list(name)}: {count} {'thing' if count == 1 else 'things'} removed.",
        entity=f"list:{name}",
        data={"list": name, "removed": count},
    )


def all_lists(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    lists = ListRepository(ctx.store)
    names = lists.names()
    if not names:
        return ActionResult(speech="You don't have any lists yet.", data={"lists": []})
    described = [f"{name} ({len(lists.items(name))})" for name in names]
    return ActionResult(speech=f"You have these lists: {_join(names)}.", data={"lists": described})


def add_note(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    text = str(request.slots.get("note") or "").strip()
    if not text:
        raise SkillError("What should the note say?")
    ListRepository(ctx.store).add(NOTES, text, now=ctx.clock.now())
    return ActionResult(speech=f"Noted: {text}.", entity=f"list:{NOTES}", data={"note": text})


def read_notes(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    return read_list(ActionRequest(request.intent, {"list_name": NOTES}, request.text), ctx)


def clear_notes(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    return clear_list(ActionRequest(request.intent, {"list_name": NOTES}, request.text), ctx)


SKILL = Skill(
    name="lists",
    sentences_file=None,
    description="Notes and named lists.",
    intents=[
        IntentSpec(
            "list.add",
            add_item,
            slots=[SlotSpec("item", "What should I add?"), SlotSpec("list_name", "", required=False)],
            description="Add something to a list.",
            examples=["add milk to my shopping list"],
        ),
        IntentSpec(
            "list.read",
            read_list,
            slots=[SlotSpec("list_name", "Which list?", required=False)],
            description="Read a list.",
            examples=["what's on my shopping list"],
        ),
        IntentSpec(
            "list.remove",
            remove_item,
            slots=[SlotSpec("item", "What should I remove?"), SlotSpec("list_name", "", required=False)],
            description="Remove something from a list.",
            examples=["remove milk from my shopping list"],
        ),
        IntentSpec(
            "list.clear",
            clear_list,
            slots=[SlotSpec("list_name", "Which list?", required=False)],
            needs_confirmation=True,
            description="Empty a list.",
            examples=["clear my shopping list"],
        ),
        IntentSpec(
            "list.all",
            all_lists,
            description="Say which lists you have.",
            examples=["what lists do I have"],
        ),
        IntentSpec(
            "note.add",
            add_note,
            slots=[SlotSpec("note", "What should the note say?")],
            description="Take a note.",
            examples=["take a note buy stamps"],
        ),
        IntentSpec("note.read", read_notes, description="Read your notes.", examples=["read my notes"]),
        IntentSpec(
            "note.clear",
            clear_notes,
            needs_confirmation=True,
            description="Delete all your notes.",
            examples=["delete my notes"],
        ),
    ],
)
