from __future__ import annotations

from assistant.nlu.engine import Understanding
from assistant.nlu.types import IntentCandidate, UnderstandingContext
from tests.nlu.conftest import SENTENCES


def best(understanding: Understanding, text: str, context: UnderstandingContext | None = None):
    return understanding.parse(text, context)[0]


def test_exact_template_match_wins_with_slots(understanding: Understanding) -> None:
    top = best(understanding, "switch on the desk lamp")
    assert (top.intent, top.source, top.confidence) == ("HassTurnOn", "rules", 1.0)
    assert top.slots == {"name": "light.desk"}


def test_polite_words_do_not_break_exact_match(understanding: Understanding) -> None:
    top = best(understanding, "could you turn off the fan please")
    assert (top.intent, top.source, top.slots["name"]) == ("HassTurnOff", "rules", "fan.desk")


def test_range_and_wildcard_slots_are_parsed(understanding: Understanding) -> None:
    top = best(understanding, "set the ceiling light to seventy percent")
    assert top.slots == {"name": "light.ceiling", "brightness": 70}
    timer = best(understanding, "set a timer for an hour and a half")
    assert timer.slots == {"duration": 5400}
    alarm = best(understanding, "wake me up at half past six")
    assert alarm.slots == {"time": "2024-05-08T18:30:00"}


def test_sound_alike_slot_resolves_fuzzily(understanding: Understanding) -> None:
    top = best(understanding, "turn on the desk lamb")
    assert (top.intent, top.source, top.slots["name"]) == ("HassTurnOn", "fuzzy", "light.desk")
    assert top.raw_slots["name"].endswith("desk lamb")


def test_dynamic_list_change_applies(understanding: Understanding) -> None:
    understanding.set_list("name", {"standing desk": "desk.motor"})
    assert best(understanding, "turn on the standing desk").slots == {"name": "desk.motor"}


def test_model_reads_paraphrase_not_in_templates(understanding: Understanding) -> None:
    top = best(understanding, "turn the ceiling light on now")
    assert top.intent == "HassTurnOn" and top.source in ("model", "fuzzy")


def test_taught_intent_works_in_paraphrase_right_after_teaching(understanding: Understanding) -> None:
    # no retraining between teaching and use; how fast is measured in benchmarks/nlu.py
    understanding.teach("FocusMode", ["start focus mode", "time to concentrate", "begin deep work"])
    assert best(understanding, "please start the focus mode").intent == "FocusMode"
    assert best(understanding, "begin some deep work now").intent == "FocusMode"


def test_taught_template_fills_its_slot(understanding: Understanding) -> None:
    understanding.teach("Focus", ["focus for {minutes} minutes"])
    top = best(understanding, "focus for twenty five minutes")
    assert (top.intent, top.source, top.slots) == ("Focus", "rules", {"minutes": 25})


def test_forget_removes_taught_intent(understanding: Understanding) -> None:
    understanding.teach("FocusMode", ["start focus mode"])
    assert understanding.forget("FocusMode")
    assert best(understanding, "start focus mode").intent != "FocusMode"
    assert "FocusMode" not in understanding.intents()


def test_out_of_scope_sentences_are_rejected(understanding: Understanding) -> None:
    for text in ["why is the sky blue", "who painted the mona lisa", "my cat likes fish"]:
        assert best(understanding, text).intent is None, text


def test_expected_intent_is_boosted(understanding: Understanding) -> None:
    plain = {c.intent: c.confidence for c in understanding.parse("dim it a bit")}
    context = UnderstandingContext(expected_intents=["SetBrightness"])
    boosted = {c.intent: c.confidence for c in understanding.parse("dim it a bit", context)}
    assert boosted["SetBrightness"] > plain.get("SetBrightness", 0.0)


def test_preference_fills_missing_slot(understanding: Understanding) -> None:
    top = best(understanding, "play some music", UnderstandingContext(preferences={"genre": "jazz"}))
    assert top.intent == "PlayMusic" and top.slots["genre"] == "jazz"


def test_remove_source_drops_its_intents(understanding: Understanding) -> None:
    assert understanding.remove_source("skill:test")
    assert understanding.intents() == []


def test_phrases_and_examples_for_what_can_i_say(understanding: Understanding) -> None:
    understanding.teach("FocusMode", ["start focus mode"])
    phrases = understanding.phrases(limit=100)
    assert "start focus mode" in phrases and "desk lamp" in phrases and len(phrases) <= 100
    assert len(understanding.examples("HassTurnOn", 3)) == 3
    assert "lamp" in understanding.vocabulary()


def test_model_readings_get_free_text_slots_from_the_learned_tagger(understanding: Understanding) -> None:
    understanding.add_sentences(
        {
            "language": "en",
            "intents": {
                "Remind": {
                    "data": [
                        {
                            "sentences": [
                                "remind me (to|about) {message} [in {duration}]",
                                "remind me in {duration} (to|about) {message}",
                            ]
                        }
                    ]
                }
            },
            "lists": {"message": {"wildcard": True}, "duration": {"wildcard": True}},
        },
        source="skill:remind",
    )
    understanding.train()
    assert understanding.tagger.trained
    for sentence, message, seconds in [
        ("in an hour remind me to pick up the dry cleaning", "pick up the dry cleaning", 3600),
        (
            "in ten minutes remind me to call the plumber about the sink",
            "call the plumber about the sink",
            600,
        ),  # noqa: E501
        ("in twenty minutes give me a reminder to stretch my legs", "stretch my legs", 1200),
    ]:
        best = understanding.parse(sentence)[0]
        assert (best.intent, best.source) == ("Remind", "model")  # no template matches these words
        assert best.slots.get("message") == message
        assert best.slots.get("duration") == seconds


def test_warm_up_changes_no_answer_and_never_trains(understanding: Understanding) -> None:
    sentences = ["set the desk lamp to forty percent", "start a five minute timer", "play some jazz"]
    before = [understanding.parse(s)[0] for s in sentences]
    understanding.warm_up()
    after = [understanding.parse(s)[0] for s in sentences]
    assert [(c.intent, c.slots) for c in after] == [(c.intent, c.slots) for c in before]
    assert after[0].slots["brightness"] == 40  # a number said in words, through the warmed table

    untrained = Understanding()
    untrained.add_sentences(SENTENCES, source="skill:test")
    untrained.warm_up()  # nothing fitted: the first request trains, not the warm-up
    assert untrained.needs_training


def test_of_two_wildcard_readings_the_one_explaining_more_words_wins() -> None:
    understanding = Understanding()
    understanding.add_sentences(
        {
            "language": "en",
            "intents": {
                "Shop": {"data": [{"sentences": ["i need [to get] {item}"]}]},
                "Wake": {"data": [{"sentences": ["i need to get up at {time}"]}]},
            },
            "lists": {"item": {"wildcard": True}, "time": {"wildcard": True}},
        },
        source="skill:wake",
    )
    readings: dict[str, IntentCandidate] = {}
    # The model rates both alike here: only the words each template explains can decide.
    understanding._match_rules("i need to get up at six", ["Shop", "Wake"], readings, lambda _: 0.2)
    assert readings["Wake"].confidence > readings["Shop"].confidence
