"""The learned slot tagger (a CRF): labels from slot values, tagging unseen values, pickling."""

from __future__ import annotations

import pickle
import random

from assistant.nlu.tagger import SlotTagger, bio_labels, tokens_of

ARTISTS = ["Miles Davis", "Nina Simone", "the Beatles", "Radiohead", "Bob Marley", "Daft Punk", "Adele"]
CITIES = ["Paris", "New York", "Tokyo", "Cape Town", "Lima", "Oslo", "San Francisco"]
PLAY = ["play some {artist}", "put on {artist} please", "I want to hear {artist}", "play {artist} now"]
WEATHER = ["what's the weather in {city}", "is it raining in {city}", "{city} forecast", "how hot is {city}"]


def examples(seed: int, count: int) -> list[tuple[str, str, dict[str, str]]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        if rng.random() < 0.5:
            artist = rng.choice(ARTISTS)
            rows.append((rng.choice(PLAY).format(artist=artist), "play", {"artist": artist}))
        else:
            city = rng.choice(CITIES)
            rows.append((rng.choice(WEATHER).format(city=city), "weather", {"city": city}))
    return rows


def test_labels_come_from_slot_values_found_word_by_word() -> None:
    tokens = tokens_of("What's the weather in New York, today?")
    assert [t.text for t in tokens] == ["What's", "the", "weather", "in", "New", "York", ",", "today", "?"]
    labels = bio_labels(tokens, {"city": "new york", "date": "today"})
    assert labels == ["O", "O", "O", "O", "B-city", "I-city", "O", "B-date", "O"]
    assert bio_labels(tokens, {"city": "Boston"}) is None  # not in the text: not a training example


def test_unseen_values_are_tagged_in_familiar_phrasings() -> None:
    tagger = SlotTagger().fit(examples(0, 200) + [("tell me a joke", "joke", {})])
    assert tagger.trained and tagger.skipped == 0
    assert tagger.tag("play some John Coltrane", "play") == {"artist": "John Coltrane"}
    assert tagger.tag("what's the weather in Buenos Aires", "weather") == {"city": "Buenos Aires"}
    assert tagger.tag("tell me a joke", "joke") == {}
    assert tagger.tag("", "play") == {}


def test_examples_whose_values_are_missing_are_skipped_and_counted() -> None:
    tagger = SlotTagger().fit([*examples(1, 40), ("play something", "play", {"artist": "Adele"})])
    assert tagger.skipped == 1 and tagger.trained
    assert not SlotTagger().trained and SlotTagger().tag("play Adele", "play") == {}


def test_a_pickled_tagger_tags_the_same() -> None:
    tagger = SlotTagger().fit(examples(2, 100))
    copy = pickle.loads(pickle.dumps(tagger))
    for text, intent, _ in examples(3, 20):
        assert copy.tag(text, intent) == tagger.tag(text, intent)
