"""Notes and named lists: "add milk and eggs to my shopping list", "take a note buy stamps".

Slots:
  ``item``: the things to add, remove or look for ("milk", "milk and eggs", "bread, butter
  and jam"); several things are split on commas and "and", except the pairs that are one
  thing ("salt and pepper", "fish and chips").
  ``list_name``: which list ("shopping", "my to-do list"); optional — the
  user's ``default_list`` preference, else the only list, else "shopping".
  ``note``: the text of a note.
Every change can be taken back ("undo that"): an addition removes exactly the items it
added, a removal puts them back, emptying a list restores what was on it.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.memory.lists import NOTES, ListRepository, normalise_list_name
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    MissingSlot,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)
from assistant.wording import count, join, sentence, with_article

DEFAULT_LIST = "shopping"
SPOKEN_ITEMS = 10
"""Reading more than this aloud is tiring; the rest is in ``data``."""

COMPOUNDS = (
    "salt and pepper",
    "mac and cheese",
    "macaroni and cheese",
    "fish and chips",
    "peanut butter and jelly",
    "pb and j",
    "cheese and onion",
    "salt and vinegar",
    "sour cream and onion",
    "sweet and sour",
    "half and half",
    "cookies and cream",
    "oil and vinegar",
    "bangers and mash",
    "spaghetti and meatballs",
    "strawberries and cream",
    "gin and tonic",
    "m and ms",
    "m&ms",
    "ben and jerry's",
    "ben and jerrys",
    "rice and peas",
    "chips and salsa",
    "pork and beans",
    "ham and cheese",
    "cheese and crackers",
    "bread and butter pudding",
    "shampoo and conditioner",
)
"""Pairs joined by "and" that are one thing on a shopping list."""

SINGLE_WORD_THINGS = set(
    """milk eggs bread butter jam cheese yoghurt yogurt cream apples pears bananas oranges lemons
    limes grapes strawberries blueberries raspberries cherries peaches plums melon tomatoes potatoes
    onions garlic carrots peppers cucumber lettuce spinach broccoli cauliflower cabbage mushrooms
    courgettes zucchini celery leeks peas beans lentils rice pasta noodles flour sugar salt pepper
    oil vinegar honey cereal oats muesli granola coffee tea juice water beer wine crisps chips
    biscuits cookies crackers chocolate sweets candy nuts ham bacon sausages chicken beef pork lamb
    mince fish salmon tuna prawns shrimp tofu hummus mayonnaise mayo ketchup mustard soup stock
    batteries bulbs soap shampoo conditioner toothpaste deodorant razors tissues napkins foil
    detergent bleach sponges bin bags nappies diapers wipes stamps envelopes coke lemonade cilantro
    coriander parsley basil mint thyme rosemary ginger chillies avocados avocado aubergines eggplant
    kale rocket arugula beetroot sweetcorn corn olives pickles capers bagels croissants muffins
    tortillas wraps pizza chorizo salami turkey duck eggplants limes mangoes pineapple kiwis
    raisins dates almonds walnuts peanuts cashews popcorn milk cheddar mozzarella parmesan feta""".split()
)
"""Things said in one word; "milk eggs and bread" (spoken, so without commas) is three of them."""
MODIFIER_WORDS = set(
    "chocolate orange lemon apple tomato cheese chicken fish beef pork bin salt pepper ham bacon coffee "
    "tea water".split()
)
"""Words that often describe the next one ("chocolate milk", "orange juice", "bin bags")."""

LIST_SYNONYMS = {"grocery": DEFAULT_LIST, "groceries": DEFAULT_LIST, "grocery shopping": DEFAULT_LIST}
"""Other names people give the shopping list (used unless a list of that name exists)."""

_LEADING = re.compile(r"^(?:also|and|then|some|more|the|a few|a couple of|please)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"\s+(?:too|as well|also|please|now|again|for me|thanks|thank you)$", re.IGNORECASE)
_LIST_TRAILING = re.compile(r"\s+(?:too|as well|also|please|now|for me|thanks|thank you|list|lists)$")
_SEPARATOR = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bplus\b|\bas well as\b)\s*")


def _clean_list_words(given: str) -> str:
    words = given.lower().strip()
    previous = None
    while words != previous:
        previous = words
        words = _LIST_TRAILING.sub("", words).strip()
    return words


def _close_list_name(name: str, existing: list[str]) -> str | None:
    """A list already there (or a usual one) that ``name`` is a misspelling of: "shoping"."""
    from rapidfuzz import fuzz, process

    choices = list(dict.fromkeys([*existing, DEFAULT_LIST, "to do"]))
    best = process.extractOne(name, choices, scorer=fuzz.ratio)
    return str(best[0]) if best is not None and best[1] >= 85 else None


def _list_name(request: ActionRequest, ctx: SkillContext, lists: ListRepository) -> str:
    given = _clean_list_words(str(request.slots.get("list_name") or ""))
    if given:
        name = normalise_list_name(given)
        if not name or lists.exists(name):
            return name or DEFAULT_LIST
        if name in LIST_SYNONYMS:
            return LIST_SYNONYMS[name]
        return _close_list_name(name, lists.names()) or name
    preferred = ctx.preferences.get("default_list")
    if preferred:
        return normalise_list_name(preferred)
    names = [name for name in lists.names() if name != NOTES]
    return names[0] if len(names) == 1 else DEFAULT_LIST


def _spoken_list(name: str) -> str:
    return "your notes" if name == NOTES else f"your {name} list"


def _clean_item(text: str) -> str:
    item = " ".join(text.strip(" .!?:\"'").split())
    previous = None
    while item != previous:
        previous = item
        item = _TRAILING.sub("", _LEADING.sub("", item)).strip()
    if re.fullmatch(r"(?:a|an)\s+\S+", item, flags=re.IGNORECASE):
        item = item.split(None, 1)[1]  # "a cucumber" is a cucumber; "a loaf of bread" stays
    return item


def split_items(text: str) -> list[str]:
    """'milk and eggs' -> two items, 'bread, butter and jam' -> three, 'salt and pepper' and
    'salt and vinegar crisps' -> one each, '2 pints of milk' -> one."""
    protected = text
    keep: dict[str, str] = {}
    for number, compound in enumerate(sorted(COMPOUNDS, key=len, reverse=True)):
        pattern = re.compile(rf"\b{re.escape(compound)}\b", flags=re.IGNORECASE)
        match = pattern.search(protected)
        while match is not None:
            marker = f"\u0000{number}\u0000"
            keep[marker] = match.group(0)
            protected = protected[: match.start()] + marker + protected[match.end() :]
            match = pattern.search(protected)
    items: list[str] = []
    parts = _SEPARATOR.split(protected)
    if len(parts) > 1:
        parts = [piece for part in parts for piece in _spoken_run(part)]
    for part in parts:
        for marker, original in keep.items():
            part = part.replace(marker, original)
        item = _clean_item(part)
        if item and item.lower() not in (existing.lower() for existing in items):
            items.append(item)
    return items


def _with_commas(words: str, text: str) -> str:
    """The slot's words as the user typed them, commas included: the matcher drops
    punctuation, and "bread, butter and jam" is three things where "bread butter" is not."""
    if "," not in text and ";" not in text:
        return words
    parts = [re.escape(word) for word in words.split()]
    if not parts:
        return words
    pattern = r"[\s,;]*".join(parts)
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return match.group(0) if match else words


def _spoken_run(part: str) -> list[str]:
    """'milk eggs' -> ['milk', 'eggs'] when every word is a thing of its own ("milk eggs and
    bread" said aloud); 'oat milk', 'chocolate milk' and 'bin bags' stay one."""
    words = part.lower().split()
    if len(words) < 2 or any(word not in SINGLE_WORD_THINGS for word in words):
        return [part]
    if any(word in MODIFIER_WORDS for word in words[:-1]):
        return [part]
    return part.split()


PLACEHOLDERS = {"something", "stuff", "an item", "a thing", "things", "some things", "items", "some stuff",
                "something else", "a few things", "more stuff", "more things", "an item to it"}  # fmt: skip
"""Words that stand for an item not said yet: "add something to my list" asks what."""


_PRONOUNS = {"it", "them", "that", "those", "these", "this", "that one", "those things"}


def _said_items(request: ActionRequest, slot: str = "item", ctx: SkillContext | None = None) -> list[str]:
    items = split_items(_with_commas(str(request.slots.get(slot) or ""), request.text))
    if ctx is not None and len(items) == 1 and items[0].lower() in _PRONOUNS:
        return _last_items(ctx) or items
    return [] if all(item.lower() in PLACEHOLDERS for item in items) else items


def _last_items(ctx: SkillContext) -> list[str]:
    """What "it" or "them" means after a list request: "add milk" -> "cross it off"."""
    last = ctx.session.last_request if ctx.session is not None else None
    if last is None or not last.intent.startswith("list."):
        return []
    result = last.result or {}
    for key in ("added", "found", "removed", "already"):
        values = result.get(key)
        if isinstance(values, list) and values:
            return [str(value) for value in values]
    return []


_NEED_QUESTION = re.compile(
    r"^(?:do|did|have|are|is)\s+(?:we|i|you)\s+(?:still\s+)?(?:need|got|have)\s+"
    r"(?:to buy\s+|to get\s+|any\s+|more\s+|some\s+)?(.+?)\??$"
)


_ONLY_A_LIST = re.compile(r"^(?:to|on|onto|in)\s+(?:my|the|our)?\s*(?:[a-z -]+\s+)?list$")


def _is_duration(text: str) -> bool:
    from assistant.nlu.numbers import RefusedReading
    from assistant.nlu.times import parse_duration

    words = text.lower().split()
    if not words or words[-1].rstrip("s") not in ("second", "minute", "hour", "min", "sec", "hr"):
        return False
    try:
        return parse_duration(text) is not None
    except RefusedReading:
        return True


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
    if not request.slots.get("item") and re.match(
        r"^(?:what|which|how many|show|read)\b", request.text.lower()
    ):
        return read_list(request, ctx)  # "what do I need to buy" read as an addition by the model
    question = _NEED_QUESTION.match(request.text.strip().lower())
    if question is not None:
        # "do we need milk" read as "we need milk": a question is never an addition.
        item = question.group(1)
        return list_contains(
            ActionRequest("list.contains", {**request.slots, "item": item}, request.text), ctx
        )
    if _is_duration(str(request.slots.get("item") or "")):
        named = normalise_list_name(_clean_list_words(" ".join(list_words)))
        usual = named in (DEFAULT_LIST, *LIST_SYNONYMS)
        if not named or not (usual or ListRepository(ctx.store).exists(named)):
            # "add five minutes", "add a minute to the tea": time goes on a timer, not on a
            # new list (a tea list with "minute" on it)
            from assistant.skills.timers import extend_timer

            slots = {"duration": request.slots["item"], **({"name": named} if named else {})}
            return extend_timer(ActionRequest("timer.extend", slots, request.text), ctx)
    only_a_list = _ONLY_A_LIST.match(str(request.slots.get("item") or "").strip().lower())
    if only_a_list is not None:
        # "add to my shopping list": "add {item}" took the list for the item; nothing was said.
        raise MissingSlot("item", "What should I add?")
    items = _said_items(request)
    if not items:
        raise MissingSlot("item", "What should I add?")
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    now = ctx.clock.now()
    on_list = {item.text.lower() for item in lists.items(name)}
    added, already = [], []
    ids = []
    for item in items:
        if item.lower() in on_list:
            already.append(item)
            continue
        ids.append(lists.add(name, item, now=now).id)
        added.append(item)
    where = _spoken_list(name)
    data: dict[str, Any] = {"list": name, "added": added, "ids": ids, "already": already}
    if not added:
        return ActionResult(
            speech=f"You already have {join(already)} on {where}.",
            entity=f"list:{name}",
            data=data,
        )
    speech = f"Added {join(added)} to {where}."
    if already:
        speech += f" You already had {join(already)} on it."
    return ActionResult(speech=speech, entity=f"list:{name}", data=data)


def undo_add(data: dict[str, Any], ctx: SkillContext) -> str:
    name = str(data.get("list") or DEFAULT_LIST)
    removed = ListRepository(ctx.store).remove_ids([int(i) for i in data.get("ids") or []])
    if not removed:
        return sentence(f"Those things are no longer on {_spoken_list(name)}")
    if name == NOTES:
        return f"OK, I deleted the note \u201c{join(removed)}\u201d."
    return f"OK, I took {join(removed)} off {_spoken_list(name)}."


def _put_back(name: str, texts: list[str], ctx: SkillContext) -> list[str]:
    lists = ListRepository(ctx.store)
    on_list = {item.text.lower() for item in lists.items(name)}
    restored = []
    for text in texts:
        if text.lower() not in on_list:
            lists.add(name, text, now=ctx.clock.now())
            restored.append(text)
    return restored


def read_list(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    items = [item.text for item in lists.items(name)]
    said_name = bool(str(request.slots.get("list_name") or "").strip())
    if not lists.exists(name) and said_name and name not in (DEFAULT_LIST, NOTES):
        known = [known for known in lists.names() if known != NOTES]
        hint = ""
        if len(known) == 1:
            hint = f" You have {with_article(known[0] + ' list')}."
        elif known:
            hint = f" You have {join(known)} lists."
        return ActionResult(
            speech=f"You don't have {with_article(name + ' list')} yet.{hint}",
            data={"list": name, "items": []},
        )
    if not items:
        speech = "You don't have any notes." if name == NOTES else f"Your {name} list is empty."
        return ActionResult(speech=speech, entity=f"list:{name}", data={"list": name, "items": []})
    spoken = items[:SPOKEN_ITEMS]
    more = f", and {len(items) - SPOKEN_ITEMS} more" if len(items) > SPOKEN_ITEMS else ""
    if name == NOTES:
        how_many = "one note" if len(items) == 1 else count(len(items), "note")
        speech = f"You have {how_many}: {join(spoken)}{more}."
    else:
        how_many = "one thing" if len(items) == 1 else count(len(items), "thing")
        speech = f"Your {name} list has {how_many}: {join(spoken)}{more}."
    return ActionResult(speech=speech, entity=f"list:{name}", data={"list": name, "items": items})


def list_contains(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    said = str(request.slots.get("item") or "").strip().lower()
    if said in ("anything", "anything else", "something", "stuff", "anything from the shop"):
        return read_list(request, ctx)  # "do we need anything"
    items = _said_items(request, ctx=ctx)
    if not items:
        raise SkillError("What should I look for?")
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    found = [lists.find(name, item) for item in items]
    there = [item.text for item in found if item is not None]
    missing = [said for said, item in zip(items, found, strict=True) if item is None]
    where = _spoken_list(name)
    if not missing:
        speech = f"Yes, you have {join(there)} on {where}."
    elif not there:
        speech = f"No, you don't have {join(missing, 'or')} on {where}."
    else:
        speech = f"You have {join(there)} on {where}, but not {join(missing, 'or')}."
    return ActionResult(
        speech=speech, entity=f"list:{name}", data={"list": name, "found": there, "missing": missing}
    )


def remove_item(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    items = _said_items(request, ctx=ctx)
    if not items:
        raise MissingSlot("item", "What should I remove?")
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    where = _spoken_list(name)
    if not lists.items(name):
        raise SkillError(sentence(f"There's nothing on {where}"))
    removed, missing = [], []
    for item in items:
        gone = lists.remove(name, item)
        if gone is None:
            missing.append(item)
        else:
            removed.append(gone.text)
    if not removed:
        raise SkillError(f"I couldn't find {join(missing, 'or')} on {where}.")
    speech = f"Removed {join(removed)} from {where}."
    if missing:
        speech += f" I couldn't find {join(missing, 'or')} on it."
    return ActionResult(
        speech=speech,
        entity=f"list:{name}",
        data={"list": name, "removed": removed, "missing": missing},
    )


def undo_remove(data: dict[str, Any], ctx: SkillContext) -> str:
    name = str(data.get("list") or DEFAULT_LIST)
    restored = _put_back(name, [str(text) for text in data.get("removed") or []], ctx)
    if not restored:
        return sentence(f"Those things are already back on {_spoken_list(name)}")
    return f"OK, I put {join(restored)} back on {_spoken_list(name)}."


def clear_list(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    lists = ListRepository(ctx.store)
    name = _list_name(request, ctx, lists)
    items = [item.text for item in lists.items(name)]
    if not items:
        speech = "You don't have any notes." if name == NOTES else f"Your {name} list is already empty."
        return ActionResult(speech=speech, data={"list": name, "removed": 0, "items": []})
    lists.clear(name)
    what = count(len(items), "note") if name == NOTES else count(len(items), "thing")
    if name == NOTES:
        speech = "Deleted your note." if len(items) == 1 else f"Deleted your {what}."
    else:
        speech = f"Emptied your {name} list ({what} removed)."
    return ActionResult(
        speech=speech,
        entity=f"list:{name}",
        data={"list": name, "removed": len(items), "items": items},
    )


def create_list(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    lists = ListRepository(ctx.store)
    name = normalise_list_name(_clean_list_words(str(request.slots.get("list_name") or "")))
    if not name or name == NOTES:
        raise MissingSlot("list_name", "What should the new list be called?")
    if not lists.create(name, now=ctx.clock.now()):
        items = lists.items(name)
        held = f", with {count(len(items), 'thing')} on it" if items else ", and it's empty"
        return ActionResult(
            speech=f"You already have a {name} list{held}. To start it afresh, say \u201cempty "
            f"my {name} list\u201d.",
            data={"list": name, "created": False},
        )
    return ActionResult(
        speech=f"I've started your {name} list. Add things with \u201cadd socks to my {name} list\u201d.",
        entity=f"list:{name}",
        data={"list": name, "created": True},
    )


def undo_create(data: dict[str, Any], ctx: SkillContext) -> str:
    name = str(data.get("list") or "")
    lists = ListRepository(ctx.store)
    if not data.get("created") or not name:
        return "There was nothing to take back."
    if lists.items(name):
        return f"Your {name} list has things on it now, so I kept it."
    lists.delete(name)
    return f"OK, I removed the {name} list."


def undo_clear(data: dict[str, Any], ctx: SkillContext) -> str:
    name = str(data.get("list") or DEFAULT_LIST)
    restored = _put_back(name, [str(text) for text in data.get("items") or []], ctx)
    if not restored:
        return "There was nothing to put back."
    if name == NOTES:
        return (
            f"OK, your {count(len(restored), 'note')} are back."
            if len(restored) > 1
            else ("OK, your note is back.")
        )
    return f"OK, I put {join(restored)} back on {_spoken_list(name)}."


def all_lists(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    lists = ListRepository(ctx.store)
    names = [name for name in lists.names() if name != NOTES]
    described = [f"{name} ({len(lists.items(name))})" for name in lists.names()]
    if not names:
        return ActionResult(speech="You don't have any lists yet.", data={"lists": described})
    if len(names) == 1:
        speech = f"You have one list: your {names[0]} list."
    else:
        speech = f"You have {len(names)} lists: {join(names)}."
    return ActionResult(speech=speech, data={"lists": described})


_NOTE_PREFIX = re.compile(r"^(?:(?:to self|that|to|down|saying)\b[\s:,]+|[:,]\s*)", flags=re.IGNORECASE)


def add_note(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    text = " ".join(str(request.slots.get("note") or "").split()).strip(" .:,")
    previous = None
    while text != previous:
        previous = text
        text = _NOTE_PREFIX.sub("", text).strip(" .:,")
    if not text:
        raise SkillError("What should the note say?")
    item = ListRepository(ctx.store).add(NOTES, text, now=ctx.clock.now())
    return ActionResult(
        speech=f"Noted: {text}.",
        entity=f"list:{NOTES}",
        data={"note": text, "list": NOTES, "ids": [item.id], "added": [text]},
    )


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
            # Not required: the handler asks itself (MissingSlot), after telling a question
            # ("do we need milk") from an addition.
            slots=[
                SlotSpec("item", "What should I add?", required=False),
                SlotSpec("list_name", "", required=False),
            ],
            undo=undo_add,
            description="Add something to a list.",
            examples=["add milk to my shopping list", "add milk and eggs to my shopping list"],
        ),
        IntentSpec(
            "list.read",
            read_list,
            slots=[SlotSpec("list_name", "Which list?", required=False)],
            description="Read a list.",
            examples=["what's on my shopping list"],
        ),
        IntentSpec(
            "list.contains",
            list_contains,
            slots=[SlotSpec("item", "What should I look for?"), SlotSpec("list_name", "", required=False)],
            description="Say whether something is on a list.",
            examples=["is milk on my shopping list"],
        ),
        IntentSpec(
            "list.remove",
            remove_item,
            slots=[SlotSpec("item", "What should I remove?"), SlotSpec("list_name", "", required=False)],
            undo=undo_remove,
            description="Remove something from a list.",
            examples=["remove milk from my shopping list"],
        ),
        IntentSpec(
            "list.clear",
            clear_list,
            slots=[SlotSpec("list_name", "Which list?", required=False)],
            needs_confirmation=True,
            confirm="empty your {list_name} list|empty the list",
            undo=undo_clear,
            description="Empty a list.",
            examples=["clear my shopping list"],
        ),
        IntentSpec(
            "list.create",
            create_list,
            slots=[SlotSpec("list_name", "What should the new list be called?")],
            undo=undo_create,
            description="Start a new list.",
            examples=["make a new list called packing"],
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
            undo=undo_add,
            description="Take a note.",
            examples=["take a note buy stamps"],
        ),
        IntentSpec("note.read", read_notes, description="Read your notes.", examples=["read my notes"]),
        IntentSpec(
            "note.clear",
            clear_notes,
            needs_confirmation=True,
            confirm="delete all your notes",
            undo=undo_clear,
            description="Delete all your notes.",
            examples=["delete my notes"],
        ),
    ],
)
