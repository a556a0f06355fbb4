from __future__ import annotations

import json

from assistant.nlu.engine import Understanding
from assistant.nlu.grammar import RecognitionGrammar


def test_vosk_phrase_list_has_templates_taught_phrases_and_unk(understanding: Understanding) -> None:
    grammar = RecognitionGrammar(understanding, limit=200)
    understanding.teach("FocusMode", ["Start focus mode!"])
    phrases = json.loads(grammar.vosk_json())
    assert phrases[-1] == "[unk]"
    assert "start focus mode" in phrases
    assert any(p.startswith("turn on") or p.startswith("switch on") for p in phrases)


def test_vocabulary_filter_drops_unknown_words(understanding: Understanding) -> None:
    grammar = RecognitionGrammar(understanding)
    kept = grammar.phrases(vocabulary={"desk", "lamp", "fan"})
    assert kept and all(set(p.split()) <= {"desk", "lamp", "fan"} for p in kept)


def test_jsgf_is_rebuilt_when_something_is_taught(understanding: Understanding) -> None:
    grammar = RecognitionGrammar(understanding)
    seen: list[int] = []
    grammar.subscribe(seen.append)
    before = grammar.jsgf()
    assert before.startswith("#JSGF V1.0;") and "public <command> =" in before
    understanding.teach("Coffee", ["make me a coffee"])
    assert seen and "make me a coffee" in grammar.jsgf()
