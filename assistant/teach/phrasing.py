"""Reading teaching sentences: triggers, steps, parameters. Pure functions.

Spoken text arrives normalised (lower case, no commas), so "when I say reading
mode, set the lamp to 100 percent and add reading to my log" has no comma left
to split on. The split is found by asking which reading makes every step
something the assistant understands (``understands`` is passed in, so these
functions can be tested on plain strings).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assistant.dialogue.phrases import normalize
from assistant.memory.teaching_records import PARAMETER
from assistant.teach.step_words import VERBS

PLACEHOLDERS = ("n", "x", "y", "z")
"""Spoken stand-ins for a parameter: "focus for N minutes"."""
PARAMETER_SAMPLES = ("5", "something")
"""Values tried in a parameter's place to check that a step is understood."""
MAX_TRIGGER_WORDS = 8
SHORT_PHRASE_WORDS = 3
"""Words after "when I say" with no command word and nothing understood: all phrase, no steps."""
MAX_STEP_PIECES = 6
"""At most this many stretches between "and"/"then" make one step ("add milk and eggs and
bread to my list" is 3): each start is tried with this many endings, so splitting a long
teaching sentence asks about a number of readings linear in its length."""
STEP_SEPARATORS = ("and then", "then", "and", "after that", "and after that")

Understands = Callable[[str], "bool | str | None"]
"""Truthy when the words are understood; may return the intent, to compare readings."""


def clean(text: str) -> str:
    """Normalised like a spoken request, quotes and stray punctuation gone."""
    text = re.sub(r"[\"\u201c\u201d]", "", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", "", text.lower())
    return normalize(text)


def strip_teaching_prefix(text: str) -> str | None:
    """'when i say X ...' -> 'X ...'; None when the words do not start that way."""
    match = re.match(
        r"^(?:(?:teach you that|remember that|learn that|so|ok|okay|and|from now on|in future)\s+)*"
        r"(?:when|whenever|if)\s+i\s+say\s+(.+)$",
        text,
    )
    return match.group(1).strip() if match else None


def split_alias(body: str) -> tuple[str, str] | None:
    """'lights out i mean turn off all lights' -> (phrase, target), else None."""
    match = re.match(r"^(.+?)\s+(?:i (?:really |just )?mean|i'm talking about|that means)\s+(.+)$", body)
    return (match.group(1).strip(), match.group(2).strip()) if match else None


ALIAS_LEAD = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|also|please|just so you know|remember that|learn that|note that)\s+)*"
    r"(?:from now on|starting now|in future|in the future)?\s*"
)
"""Words before an alias that are not part of its phrase: "from now on groceries means ..."."""


def split_means(text: str) -> tuple[str, str] | None:
    """'lights out means turn off all lights' -> (phrase, target), else None.

    Also "from now on groceries means my shopping list", "by groceries I mean my
    shopping list", "groceries is another word for my shopping list".
    """
    text = ALIAS_LEAD.sub("", text).strip()
    match = re.match(r"^by (.+?) i (?:really )?mean (.+)$", text) or re.match(
        r"^(.+?)\s+(?:means|should mean|will mean|is the same as|is short for|"
        r"is another (?:word|name) for|stands for)\s+(.+)$",
        text,
    )
    if match is None:
        return None
    phrase = re.sub(r"^(?:the word|the phrase|saying)\s+", "", match.group(1).strip())
    target = re.sub(r"\s+(?:from now on|please)$", "", match.group(2).strip())
    return (phrase, target) if phrase and target else None


NOUN_PHRASE = re.compile(r"^(?:my|the|our) (?:[a-z0-9'-]+ ){0,3}(?:list|notes|timer|alarm|reminders?)$")
"""An alias target that names a thing rather than a request: "my shopping list"."""


def is_thing(target: str) -> bool:
    """True for "my shopping list": the alias stands for those words inside requests too."""
    return NOUN_PHRASE.match(target) is not None


def replace_things(text: str, things: Mapping[str, str]) -> str | None:
    """'add milk to groceries' + {groceries: my shopping list} -> 'add milk to my shopping list'.

    Only for alias phrases that stand for a thing (``is_thing``); None when none is in ``text``.
    """
    changed = text
    for phrase, target in things.items():
        if not phrase:
            continue
        pattern = r"\b(?:(?:my|the|our)\s+)?" + re.escape(phrase) + r"(?:\s+list)?\b"
        if re.search(pattern, changed):
            changed = re.sub(pattern, target, changed)
    return changed if changed != text else None


# --- parameters -------------------------------------------------------------------


def templatize(trigger: str, steps: list[str]) -> tuple[str, list[str]]:
    """Turn spoken placeholders into ``{parameters}``.

    "focus for n minutes" + "set a timer for n minutes" ->
    "focus for {n} minutes" + "set a timer for {n} minutes". A placeholder
    letter only counts when it appears in the trigger and in a step; written
    ``{name}`` parameters always count; with neither, a number said in the trigger
    and in a step becomes the parameter.
    """
    trigger_words = trigger.split()
    step_words = [step.split() for step in steps]
    for letter in PLACEHOLDERS:
        if letter in trigger_words and any(letter in words for words in step_words):
            trigger_words = [f"{{{letter}}}" if w == letter else w for w in trigger_words]
            step_words = [[f"{{{letter}}}" if w == letter else w for w in words] for words in step_words]
    if not parameters(" ".join(trigger_words)):
        # "focus for 25 minutes, set a timer for 25 minutes": the shared number is the
        # parameter, so "focus for 10 minutes" later sets a 10-minute timer.
        for word in trigger_words:
            if _is_number(word) and any(word in words for words in step_words):
                trigger_words = ["{n}" if w == word else w for w in trigger_words]
                step_words = [["{n}" if w == word else w for w in words] for words in step_words]
                break
    return " ".join(trigger_words), [" ".join(words) for words in step_words]


_NUMBER_WORDS = set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred".split()
)


def _is_number(word: str) -> bool:
    return word.replace(".", "", 1).isdigit() or word in _NUMBER_WORDS


def parameters(text: str) -> list[str]:
    return PARAMETER.findall(text)


def fill(template: str, values: Mapping[str, object]) -> str:
    """Put parameter values in a template; unknown parameters stay as they are."""
    return PARAMETER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def with_samples(template: str) -> list[str]:
    """The template with each sample value in every parameter's place (itself if none)."""
    if not parameters(template):
        return [template]
    return [PARAMETER.sub(sample, template) for sample in PARAMETER_SAMPLES]


def as_regex(template: str) -> re.Pattern[str]:
    """A regex matching the trigger template, one group per parameter."""
    pattern = ""
    position = 0
    for match in PARAMETER.finditer(template):
        pattern += re.escape(template[position : match.start()]) + f"(?P<{match.group(1)}>.+?)"
        position = match.end()
    pattern += re.escape(template[position:])
    return re.compile(f"^{pattern}$")


# --- steps --------------------------------------------------------------------------


@dataclass
class StepSplit:
    """Steps read from one stretch of words."""

    steps: list[str]
    unknown: list[str]
    """Steps nobody understood (in order); empty when all were understood."""


def _pieces(body: str) -> tuple[list[str], list[str]]:
    """Words between step separators, and the separators themselves."""
    pattern = (
        r"\s+(" + "|".join(re.escape(s) for s in sorted(STEP_SEPARATORS, key=len, reverse=True)) + r")\s+"
    )
    parts = re.split(pattern, f" {body.strip()} ")
    pieces = [part.strip() for part in parts[0::2]]
    separators = parts[1::2]
    while pieces and not pieces[0]:
        pieces.pop(0)
        if separators:
            separators.pop(0)
    while pieces and not pieces[-1]:
        pieces.pop()
        if separators:
            separators.pop()
    return pieces, separators


def split_steps(body: str, understands: Understands) -> StepSplit:
    """Split on "and"/"then" where that gives understood steps.

    "add milk and eggs to my list" stays one step when that is what is
    understood; "set a timer and add reading to my log" becomes two.
    The reading with most steps understood wins, then the one that splits
    before every command word ("... and add"), then the one with fewest steps
    not understood, then the one with most steps. A step spans at most
    :data:`MAX_STEP_PIECES` pieces.
    """
    pieces, separators = _pieces(body)
    if not pieces:
        return StepSplit([], [])
    memo: dict[tuple[int, int], bool | str | None] = {}

    def segment(i: int, j: int) -> str:
        words = [pieces[i]]
        for k in range(i + 1, j):
            words += [separators[k - 1], pieces[k]]
        return " ".join(words)

    def known(i: int, j: int) -> bool | str | None:
        if (i, j) not in memo:
            memo[(i, j)] = next((r for r in map(understands, with_samples(segment(i, j))) if r), None)
        return memo[(i, j)]

    def verb_joins(i: int, j: int) -> int:
        """Pieces glued onto a step that is understood the same without them ("set a
        timer for 4 minutes and fly to the moon"), or that start with a command word."""
        glued = sum(1 for k in range(i + 1, j) if pieces[k].split()[0] in VERBS)
        whole = known(i, j)
        if j - i > 1 and isinstance(whole, str) and known(i, j - 1) == whole:
            glued += 1
        return glued

    def odd_start(i: int, j: int) -> bool:
        """An understood step that does not start like a request ("butter to my shopping list"
        out of "add bread and butter to my shopping list"): a split there is a poor reading."""
        return i > 0 and bool(known(i, j)) and pieces[i].split()[0] not in VERBS

    # best[i] = ((odd starts, -understood, verb joins, unknown, -steps), end of the first step)
    Score = tuple[int, int, int, int, int]
    best: dict[int, tuple[Score, int]] = {len(pieces): ((0, 0, 0, 0, 0), len(pieces))}
    for i in range(len(pieces) - 1, -1, -1):
        options: list[tuple[Score, int]] = []
        for j in range(i + 1, min(len(pieces), i + MAX_STEP_PIECES) + 1):
            odd, understood, joins, unknown, count = best[j][0]
            ok = bool(known(i, j))
            score = (
                odd + odd_start(i, j),
                understood - ok,
                joins + verb_joins(i, j),
                unknown + (not ok),
                count - 1,
            )
            options.append((score, j))
        best[i] = min(options, key=lambda option: option[0])
    chosen: list[tuple[int, int]] = []
    start = 0
    while start < len(pieces):
        end = best[start][1]
        chosen.append((start, end))
        start = end
    return StepSplit(
        [segment(i, j) for i, j in chosen], [segment(i, j) for i, j in chosen if not known(i, j)]
    )


def split_trigger_and_steps(
    body: str, understands: Understands, surely_understands: Understands | None = None
) -> tuple[str, StepSplit]:
    """'reading mode set the lamp to 100 percent and ...' -> ('reading mode', steps).

    The phrase is the shortest start after which the first step is surely
    understood (``surely_understands``: an exact template match), else after
    which it is understood at all, else the words before "then".
    """
    words = body.split()
    window = words[1 : MAX_TRIGGER_WORDS + 1]
    verb = next((i for i, word in enumerate(window, start=1) if word in VERBS), None)
    for check in [surely_understands, understands] if surely_understands else [understands]:
        found = _first_understood_split(body, check)
        if found is None:
            continue
        trigger, rest = found
        if verb is not None and verb < len(trigger.split()):
            # "reading mode add X to my log and set a timer": the phrase ends before
            # the first command word; the step in between is one to ask about.
            trigger, rest = " ".join(words[:verb]), " ".join(words[verb:])
        elif (
            verb is not None
            and verb > len(trigger.split())
            and set(words[len(trigger.split()) : verb]) - {"then", "and", "so"}
            and _first_step_understood(" ".join(words[:verb]), " ".join(words[verb:]), check)
        ):
            # "tea break set a timer for 4 minutes": a step read with "break" in a name is
            # also read from "set"; the phrase runs up to the command word.
            trigger, rest = " ".join(words[:verb]), " ".join(words[verb:])
        return _templated_split(trigger, rest, understands)
    limit = min(MAX_TRIGGER_WORDS, len(words) - 1)
    for i in range(1, limit + 1):
        if words[i] == "then" or (
            words[i] in ("i", "you") and i + 2 <= len(words) and words[i + 1] in ("should", "want")
        ):
            skip = 2 if words[i] != "then" else 1
            return " ".join(words[:i]), split_steps(" ".join(words[i + skip :]), understands)
    if verb is None and len(words) <= SHORT_PHRASE_WORDS:
        # "when I say focus mode": a short phrase and nothing to do yet; the caller asks.
        return body.strip(), StepSplit([], [])
    # Nothing understood: guess the first two words are the phrase, so the
    # caller can say which step it did not understand.
    cut = verb if verb is not None else min(2, max(1, len(words) - 1))
    return _templated_split(" ".join(words[:cut]), " ".join(words[cut:]), understands)


def _templated_split(trigger: str, rest: str, understands: Understands) -> tuple[str, StepSplit]:
    """Placeholders of the trigger become parameters in the steps too, then split the steps."""
    trigger, (rest,) = templatize(trigger, [rest])
    return trigger, split_steps(rest, understands)


def _first_step_understood(trigger: str, rest: str, understands: Understands) -> bool:
    pieces, _ = _pieces(rest)
    if not pieces:
        return False
    first = templatize(trigger, [pieces[0]])[1][0]
    return any(understands(text) for text in with_samples(first))


def _first_understood_split(body: str, understands: Understands) -> tuple[str, str] | None:
    words = body.split()
    for i in range(1, min(MAX_TRIGGER_WORDS, len(words) - 1) + 1):
        rest = words[i:]
        if rest[0] == "then":
            rest = rest[1:]
        pieces, _ = _pieces(" ".join(rest))
        if not pieces:
            continue
        trigger = " ".join(words[:i])
        first = templatize(trigger, [pieces[0]])[1][0]
        if any(understands(text) for text in with_samples(first)):
            return trigger, " ".join(rest)
    return None
