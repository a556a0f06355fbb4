"""Reading what the user says about themselves. Pure functions on normalised text.

"call me Sam" -> (identity, name, Sam); "I'm a Warriors fan" -> (sports,
favourite_team, Warriors); "remember that my sister is called Ana" -> (people,
sister, Ana). Also the sentences that describe preferences back to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PEOPLE = {
    "sister",
    "brother",
    "mother",
    "mom",
    "mum",
    "father",
    "dad",
    "wife",
    "husband",
    "partner",
    "son",
    "daughter",
    "boss",
    "friend",
    "best friend",
    "cat",
    "dog",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "aunt",
    "uncle",
    "cousin",
    "girlfriend",
    "boyfriend",
    "neighbour",
    "neighbor",
    "doctor",
    "colleague",
    "roommate",
    "flatmate",
    "baby",
    "kid",
    "niece",
    "nephew",
}
FAVOURITES = {
    # "my favourite X is Y": X -> (category, key)
    "music": ("music", "music_genre"),
    "genre": ("music", "music_genre"),
    "kind of music": ("music", "music_genre"),
    "type of music": ("music", "music_genre"),
    "band": ("music", "favourite_band"),
    "artist": ("music", "favourite_artist"),
    "singer": ("music", "favourite_artist"),
    "song": ("music", "favourite_song"),
    "team": ("sports", "favourite_team"),
    "sport": ("sports", "favourite_sport"),
    "colour": ("general", "favourite_colour"),
    "color": ("general", "favourite_colour"),
    "food": ("general", "favourite_food"),
    "drink": ("general", "favourite_drink"),
    "news": ("news", "news_topics"),
    "news topic": ("news", "news_topics"),
    "radio station": ("music", "favourite_station"),
    "station": ("music", "favourite_station"),
}
UNITS = {
    "celsius": ("units", "temperature_unit", "celsius"),
    "centigrade": ("units", "temperature_unit", "celsius"),
    "fahrenheit": ("units", "temperature_unit", "fahrenheit"),
    "metric": ("units", "units", "metric"),
    "the metric system": ("units", "units", "metric"),
    "imperial": ("units", "units", "imperial"),
    "imperial units": ("units", "units", "imperial"),
    "the imperial system": ("units", "units", "imperial"),
    "degrees celsius": ("units", "temperature_unit", "celsius"),
    "degrees fahrenheit": ("units", "temperature_unit", "fahrenheit"),
    "metric system": ("units", "units", "metric"),
    "imperial system": ("units", "units", "imperial"),
    "metric units": ("units", "units", "metric"),
    "24 hour time": ("units", "clock", "24 hour"),
    "twenty four hour time": ("units", "clock", "24 hour"),
    "12 hour time": ("units", "clock", "12 hour"),
    "24 hour clock": ("units", "clock", "24 hour"),
    "24 hour format": ("units", "clock", "24 hour"),
    "the 24 hour time": ("units", "clock", "24 hour"),
    "the 24 hour clock": ("units", "clock", "24 hour"),
    "the 24 hour format": ("units", "clock", "24 hour"),
    "twenty four hour clock": ("units", "clock", "24 hour"),
    "twenty four hour format": ("units", "clock", "24 hour"),
    "the twenty four hour time": ("units", "clock", "24 hour"),
    "the twenty four hour clock": ("units", "clock", "24 hour"),
    "the twenty four hour format": ("units", "clock", "24 hour"),
    "12 hour clock": ("units", "clock", "12 hour"),
    "12 hour format": ("units", "clock", "12 hour"),
    "the 12 hour time": ("units", "clock", "12 hour"),
    "the 12 hour clock": ("units", "clock", "12 hour"),
    "the 12 hour format": ("units", "clock", "12 hour"),
    "twelve hour clock": ("units", "clock", "12 hour"),
    "twelve hour format": ("units", "clock", "12 hour"),
    "the twelve hour time": ("units", "clock", "12 hour"),
    "the twelve hour clock": ("units", "clock", "12 hour"),
    "the twelve hour format": ("units", "clock", "12 hour"),
    "twelve hour time": ("units", "clock", "12 hour"),
}
GENRES = {
    "jazz",
    "rock",
    "classical",
    "pop",
    "blues",
    "hip hop",
    "rap",
    "country",
    "folk",
    "metal",
    "electronic",
    "techno",
    "house",
    "reggae",
    "soul",
    "funk",
    "punk",
    "indie",
    "ambient",
    "lofi",
    "lo fi",
    "disco",
    "opera",
    "r&b",
    "latin",
    "gospel",
}
TITLE_KEYS = {"user_name", "home_city", "favourite_team", "favourite_band", "favourite_artist"}


TAKEN_HOW = "coffee|tea|eggs|steak|toast|burgers?|pizza|curry|whisky|whiskey|martini|bath|shower"
"""Things people say how they like ("I take my tea with milk"): only these, so that "I like my
new lamp" is not taken for a lamp liked "new"."""
LIKES_HOW = re.compile(rf"^i (?:like|take|have|drink|want) my (?P<thing>{TAKEN_HOW}) (?P<value>.+)$")
ASKS_HOW = re.compile(rf"\bhow do i (?:like|take|have|drink|want) my (?P<thing>{TAKEN_HOW})\b")

FILLERS = re.compile(
    r"^(?:(?:um+|uh+|er+|so|ok|okay|hey|oh|well|and|also|please|actually|just|"
    r"could you|can you|would you|will you|from now on)\s+)+"
)
TRAILING = re.compile(r"(?:\s+(?:please|thanks|thank you|from now on|ok|okay))+$")
"""Words around a statement that are not part of it: "um call me Sam please"."""


@dataclass
class Statement:
    """One thing to remember about the user."""

    category: str
    key: str
    value: str


def _tidy(value: str, key: str) -> str:
    value = re.sub(r"^(?:the|a|an)\s+(?=\S)", "", value.strip()) if key != "user_name" else value.strip()
    value = value.strip(" .!?")
    if key in TITLE_KEYS or key in PEOPLE:
        return " ".join(word[:1].upper() + word[1:] for word in value.split())
    return value


def _slug(words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")


_RULES: list[tuple[str, str, str]] = [
    (r"^(?:please )?call me (?P<value>.+)$", "identity", "user_name"),
    (r"^(?:my name is|my name's|my names) (?P<value>.+)$", "identity", "user_name"),
    (r"^(?:you can|you may|you should|just) call me (?P<value>.+)$", "identity", "user_name"),
    (r"^(?:i'm|i am|im) called (?P<value>.+)$", "identity", "user_name"),
    (r"^i (?:live|stay) in (?P<value>.+)$", "location", "home_city"),
    (r"^my (?:home )?(?:city|town) is (?P<value>.+)$", "location", "home_city"),
    (r"^(?:i'm|i am|im) (?:a|an|a big|a huge) (?P<value>.+?) fan$", "sports", "favourite_team"),
    (r"^i (?:support|root for|cheer for) (?:the )?(?P<value>.+)$", "sports", "favourite_team"),
    (r"^(?:i'm|i am|im) interested in (?P<value>.+?)(?: news)?$", "news", "news_topics"),
    (r"^my wake (?:word|phrase) (?:is|should be) (?P<value>.+)$", "assistant", "wake_phrase"),
]


def parse_statement(text: str) -> Statement | None:
    """What ``text`` tells about the user, or None when it is not such a statement."""
    text = FILLERS.sub("", text.strip())
    text = TRAILING.sub("", text)
    text = re.sub(r"^(?:please )?(?:remember|note|know) (?:that )?", "", text)
    for pattern, category, key in _RULES:
        match = re.match(pattern, text)
        if match:
            return Statement(category, key, _tidy(match.group("value"), key))
    match = re.match(
        r"^(?:please )?(?:i (?:prefer|use|like|want)|i'd (?:like|prefer)|i would (?:like|prefer)|"
        r"(?:always )?use|"
        r"switch to|change to|set (?:the )?units to|give me (?:temperatures in )?)\s+"
        r"(?:to use |using )?(?P<value>.+?)(?: please| from now on| instead| for everything)*$",
        text,
    )
    if match and match.group("value") in UNITS:
        category, key, value = UNITS[match.group("value")]
        return Statement(category, key, value)
    match = LIKES_HOW.match(text)
    if match:
        return Statement("general", f"likes_{_slug(match.group('thing'))}", _tidy(match.group("value"), ""))
    match = re.match(r"^my (?:favourite|favorite) (?P<thing>.+?) (?:is|are) (?P<value>.+)$", text)
    if match:
        thing = match.group("thing")
        category, key = FAVOURITES.get(thing, ("general", f"favourite_{_slug(thing)}"))
        return Statement(category, key, _tidy(match.group("value"), key))
    match = re.match(r"^i (?:like|love|enjoy|prefer|listen to) (?P<value>.+?)(?: music)?$", text)
    if match and match.group("value") in GENRES:
        return Statement("music", "music_genre", match.group("value"))
    match = re.match(r"^my (?P<who>.+?) (?:is called|is named|'s name is|name is|is) (?P<value>.+)$", text)
    if match:
        who = match.group("who").replace("'s", "").strip()
        category = "people" if who in PEOPLE else "general"
        key = _slug(who)
        return Statement(category, key, _tidy(match.group("value"), who if who in PEOPLE else key))
    return None


_DESCRIPTIONS = {
    "user_name": "Your name is {value}.",
    "home_city": "You live in {value}.",
    "temperature_unit": "You prefer {value}.",
    "units": "You use {value} units.",
    "clock": "You use the {value} clock.",
    "music_genre": "Your favourite music is {value}.",
    "favourite_team": "You're a {value} fan.",
    "news_topics": "You follow news about {value}.",
    "wake_phrase": "You wake me with \u201c{value}\u201d.",
}


def describe(category: str, key: str, value: str) -> str:
    """One sentence saying a preference back: 'Your sister is called Ana.'"""
    if key in _DESCRIPTIONS:
        if key == "temperature_unit":
            value = value[:1].upper() + value[1:]  # Celsius, Fahrenheit: names
        if key == "clock":
            value = value.replace(" ", "-")  # the 24-hour clock
        return _DESCRIPTIONS[key].format(value=value)
    words = key.replace("_", " ")
    if key.startswith("likes_"):
        return f"You like your {words.removeprefix('likes ')} {value}."
    if category == "people":
        return f"Your {words} is called {value}."
    if words.startswith("favourite "):
        return f"Your {words} is {value}."
    return f"Your {words} is {value}."
