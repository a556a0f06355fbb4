"""Recognise the small words of conversation: cancel, repeat, yes, no, again.

These are checked before understanding, on normalised text, because they
mean the same whatever the user was doing.
"""

from __future__ import annotations

import re

_CANCEL = {
    "cancel",
    "never mind",
    "nevermind",
    "forget it",
    "stop",
    "stop it",
    "quiet",
    "shut up",
    "no stop",
    "abort",
    "nothing",
    "never mind that",
    "stop talking",
}
_REPEAT = {
    "say that again",
    "repeat",
    "repeat that",
    "what did you say",
    "come again",
    "pardon",
    "sorry what",
    "say again",
    "can you repeat that",
    "could you repeat that",
    "what was that",
}
_YES = {
    "yes",
    "yeah",
    "yep",
    "yup",
    "sure",
    "ok",
    "okay",
    "please do",
    "do it",
    "go ahead",
    "yes please",
    "of course",
    "absolutely",
    "correct",
    "right",
    "that's right",
    "sounds good",
    "affirmative",
    "please",
    "alright",
    "all right",
    "why not",
    "definitely",
}
_NO = {
    "no",
    "nope",
    "nah",
    "no thanks",
    "no thank you",
    "don't",
    "do not",
    "not now",
    "negative",
    "no way",
    "not really",
    "skip",
    "pass",
    "never",
}
_WRONG = {
    "no that's wrong",
    "that's wrong",
    "wrong",
    "no that's not what i meant",
    "that's not what i meant",
    "no that's not right",
    "that's not right",
    "not that",
    "no not that",
    "you got it wrong",
    "no wrong",
    "incorrect",
    "that is wrong",
    "that is not what i said",
}
_AMOUNT_START = (
    r"\d|a |an |half|couple|few|one |two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|ninety"
)
_AGAIN = {"again", "do that again", "do it again", "one more time", "same again", "repeat that action"}
_CARRY_OVER = re.compile(r"^(?:and|also|plus|then|what about|how about|and what about|and how about)\s+(.+)$")
_CORRECTION = re.compile(
    r"^(?:no|nope|no no|actually|i mean|i said|sorry)[, ]+(?:i said |i meant |make it |i mean )?(.+)$"
)
_NEW_AMOUNT = re.compile(
    rf"^(?:(make|change|set)|move|push) (?:it|that) (?:to |for )?((?:{_AMOUNT_START}).*)$"
)
"""A new amount or time for the last request said on its own: "make it fifteen", "move it to
11" (a time: "at 11"). Only numbers: "make it brighter" is a request of its own."""


def normalize(text: str) -> str:
    """Lower case, plain apostrophes, no punctuation at the ends, single spaces."""
    text = text.lower().replace("\u2019", "'").strip()
    text = re.sub(r"[!?.,;:]+$", "", text)
    text = re.sub(r"^(?:hey computer|computer)[, ]+", "", text)
    text = re.sub(r"[,]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _strip_politeness(text: str) -> str:
    return re.sub(
        r"^(?:please |oh |oops |um |uh |er |well |ok |okay |actually |sorry |can you |could you |would you )+"
        r"|(?: please| thanks| thank you| now)+$",
        "",
        text,
    ).strip()


_TAKE_BACK = re.compile(
    r"^(?:no )?(?:(cancel|undo|delete|remove|scratch|forget|drop|reverse)"
    r" (?:that|it|this|that one|the last one)"
    r"|(undo)(?: the last (?:one|thing))?|(take) (?:that|it) back)$"
)


def take_back(text: str) -> str | None:
    """The verb of "cancel that", "undo it", "scratch that", "take it back", else None."""
    match = _TAKE_BACK.match(_strip_politeness(text))
    if match is None:
        return None
    verb = next(group for group in match.groups() if group)
    return "undo" if verb in ("scratch", "take", "reverse") else verb


def is_cancel(text: str) -> bool:
    return _strip_politeness(text) in _CANCEL


def is_repeat(text: str) -> bool:
    return _strip_politeness(text) in _REPEAT


def is_yes(text: str) -> bool:
    cleaned = _strip_politeness(text)
    return cleaned in _YES or cleaned.startswith(("yes ", "yeah ", "sure ", "ok ", "okay "))


def is_no(text: str) -> bool:
    cleaned = _strip_politeness(text)
    return cleaned in _NO or cleaned.startswith(("no ", "nope ", "no,"))


def is_wrong(text: str) -> bool:
    return _strip_politeness(text) in _WRONG


def is_again(text: str) -> bool:
    return _strip_politeness(text) in _AGAIN


def carry_over(text: str) -> str | None:
    """The rest of "and one for twenty minutes" / "what about tomorrow", else None."""
    match = _CARRY_OVER.match(text)
    return match.group(1) if match else None


def correction(text: str) -> str | None:
    """The new value in "no, ten minutes" / "actually make it five", else None."""
    if is_wrong(text) or is_no(text) and text.strip() in _NO:
        return None
    match = _CORRECTION.match(text)
    if match:
        return match.group(1).strip()
    match = _NEW_AMOUNT.match(text + " ")  # "make it one": the amounts end with a space
    if match:
        return match.group(2).strip() if match.group(1) else f"at {match.group(2).strip()}"
    return None


PRONOUNS = ("it", "that", "them", "this")


_ANOTHER = re.compile(rf"\b(?:another(?: one)?|one more)\b(?! (?:{_AMOUNT_START}))")
"""Not "another 5 minutes" or "another half hour": more time, not one more thing."""
_THE_X_ONE = re.compile(r"\b(the|that|my) ((?:\w+ ){0,2}?\w+) one\b")


def name_the_one(text: str, noun: str) -> str | None:
    """ "start another one for 3 minutes" -> "start a timer for 3 minutes", "cancel the tea one"
    -> "cancel the tea timer", for ``noun`` the kind of thing last acted on; None if neither."""
    one_more_of = re.compile(rf"\b(?:another|one more) {re.escape(noun)}\b")
    if one_more_of.search(text):
        return one_more_of.sub(f"a {noun}", text, count=1)
    if _ANOTHER.search(text):
        return _ANOTHER.sub(f"a {noun}", text, count=1)
    if _THE_X_ONE.search(text):
        return _THE_X_ONE.sub(lambda match: f"{match.group(1)} {match.group(2)} {noun}", text, count=1)
    return None


_AMOUNT_WORDS = set(
    "a an and half quarter quarters of one two three four five six seven eight nine ten eleven twelve"
    " thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty"
    " seventy eighty ninety hundred couple few".split()
)
_UNIT = re.compile(r"^(?:sec|second|min|minute|hr|hour|day|week)s?$")


def is_bare_amount(text: str) -> bool:
    """ "five minutes", "10", "an hour and a half": an amount said with nothing to do with it."""
    words = text.split()
    return bool(words) and all(
        word in _AMOUNT_WORDS or _UNIT.match(word) or re.fullmatch(r"\d+(?:[.,]\d+)?", word) for word in words
    )


def has_pronoun(text: str) -> bool:
    return any(word in PRONOUNS for word in text.split())


def replace_pronoun(text: str, entity: str) -> str | None:
    """ "turn it off" + "desk lamp" -> "turn the desk lamp off"; None if no pronoun."""
    words = text.split()
    for index, word in enumerate(words):
        if word in PRONOUNS:
            return " ".join(words[:index] + ["the", entity] + words[index + 1 :])
    return None
