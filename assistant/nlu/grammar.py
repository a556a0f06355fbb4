"""Recognition biasing: the phrases the assistant understands, for the recognizer.

* Vosk takes a runtime grammar as a JSON list of phrases (``"[unk]"`` lets other
  speech through): :meth:`RecognitionGrammar.vosk_json`.
* pocketsphinx takes JSGF: :meth:`RecognitionGrammar.jsgf`.

Both come from :meth:`Understanding.phrases` and change when something is taught;
compare :attr:`version` or register with ``Understanding.on_change``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from assistant.nlu.engine import Understanding

_NOT_A_WORD = re.compile(r"[^a-z0-9' ]+")
DEFAULT_LIMIT = 2000


def clean_phrase(text: str) -> str:
    """Lower-case words only: recognizer grammars take no punctuation."""
    return " ".join(_NOT_A_WORD.sub(" ", text.lower()).split())


def to_jsgf(phrases: Iterable[str], name: str = "assistant") -> str:
    """A JSGF grammar whose public rule accepts any of the phrases."""
    cleaned = sorted({clean_phrase(p).replace("'", "") for p in phrases} - {""})
    body = "\n    | ".join(cleaned) if cleaned else "<VOID>"
    return f"#JSGF V1.0;\n\ngrammar {name};\n\npublic <command> =\n      {body}\n    ;\n"


class RecognitionGrammar:
    """Phrase list and JSGF for one :class:`Understanding`, rebuilt when it changes."""

    def __init__(self, understanding: Understanding, limit: int = DEFAULT_LIMIT) -> None:
        self.understanding = understanding
        self.limit = limit
        self._cache: tuple[int, list[str]] | None = None

    @property
    def version(self) -> int:
        return self.understanding.version

    def subscribe(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(version)`` whenever the phrases may have changed."""
        self.understanding.on_change(callback)

    def phrases(self, vocabulary: set[str] | None = None) -> list[str]:
        """Distinct cleaned phrases (≤ ``limit``); with ``vocabulary``, only phrases whose
        words the recognizer's model knows (Vosk rejects a grammar with unknown words)."""
        if self._cache is None or self._cache[0] != self.version:
            cleaned = dict.fromkeys(clean_phrase(p) for p in self.understanding.phrases(self.limit))
            cleaned.pop("", None)
            self._cache = (self.version, list(cleaned))
        found = self._cache[1]
        if vocabulary is not None:
            found = [p for p in found if all(word in vocabulary for word in p.split())]
        return list(found)

    def vosk_json(self, vocabulary: set[str] | None = None, allow_other: bool = True) -> str:
        """Vosk's runtime grammar: a JSON list of phrases, plus ``"[unk]"`` by default."""
        phrases = self.phrases(vocabulary)
        return json.dumps(phrases + (["[unk]"] if allow_other else []))

    def jsgf(self, name: str = "assistant") -> str:
        """A JSGF grammar accepting each phrase (for pocketsphinx)."""
        return to_jsgf(self.phrases(), name)
