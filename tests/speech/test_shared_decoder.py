"""One full pocketsphinx decoder per process: the wake word and the recognizer take turns on it."""

from __future__ import annotations

import gc
import itertools
import math
from pathlib import Path

import pytest
from pocketsphinx import Decoder

from assistant.asr.pocketsphinx_decoder import GrammarDecoder, phrase_automaton, shared_decoder
from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
from assistant.audio import WavFileSource
from assistant.audio.convert import to_pcm16
from assistant.config import Settings
from assistant.events import AudioChunk
from assistant.pipeline import VoiceLoop
from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector
from tests.speechgen import StreamBuilder, speech

COMMANDS = ["what time is it", "turn on the desk lamp", "turn off the desk lamp", "stop", "stop the timer"]


def accepted(phrases: list[str]) -> dict[str, float]:
    """Every word sequence the automaton accepts, with its probability (walks all paths)."""
    automaton = phrase_automaton(phrases)
    arcs: dict[int, list[tuple[int, float, str | None]]] = {}
    for transition in automaton.transitions:
        word = transition[3] if len(transition) == 4 else None
        arcs.setdefault(transition[0], []).append((transition[1], transition[2], word))
    found: dict[str, float] = {}
    paths: list[tuple[int, list[str], float]] = [(automaton.start, [], 1.0)]
    while paths:
        state, words, probability = paths.pop()
        if state == automaton.final:
            found[" ".join(words)] = found.get(" ".join(words), 0.0) + probability
        for target, share, word in arcs.get(state, []):
            paths.append((target, [*words, word] if word else words, probability * share))
    return found


def full_decoders() -> int:
    return sum(1 for item in gc.get_objects() if type(item) is Decoder and item.config["lm"])


def test_the_phrase_automaton_accepts_exactly_the_phrases_each_equally_likely() -> None:
    found = accepted(COMMANDS)
    assert set(found) == set(COMMANDS)  # "stop" ends where "stop the timer" goes on
    assert all(math.isclose(probability, 1 / len(COMMANDS)) for probability in found.values())


def test_the_phrase_automaton_shares_beginnings_and_endings() -> None:
    phrases = [
        f"{verb} the {room} lights"
        for verb, room in itertools.product(["turn on", "turn off"], ["kitchen", "hall", "bedroom"])
    ]
    automaton = phrase_automaton(phrases)
    # a list of alternatives has one transition per word: 6 phrases x 5 words
    assert len(automaton.transitions) == 1 + 2 + 1 + 3 + 1  # turn, on/off, the, rooms, lights
    assert set(accepted(phrases)) == set(phrases)


def test_an_empty_phrase_list_is_no_grammar() -> None:
    with pytest.raises(ValueError, match="at least one phrase"):
        phrase_automaton(["", "  "])


def test_wake_word_and_recognizer_use_the_same_decoder() -> None:
    wake = PocketsphinxWakeDetector()
    recognizer = PocketsphinxRecognizer()
    assert wake.decoder is recognizer.decoder is shared_decoder().decoder
    recognizer.transcribe(to_pcm16(speech("turn on the desk lamp")), COMMANDS)
    assert full_decoders() == 1


def test_the_grammar_decoder_holds_only_the_grammar_words() -> None:
    grammar = GrammarDecoder(shared_decoder())
    grammar.activate(COMMANDS)
    assert grammar.decoder.config["lm"] is None
    assert grammar.decoder.lookup_word("lamp") is not None
    assert grammar.decoder.lookup_word("the(2)") is not None  # alternative pronunciations come too
    assert grammar.decoder.lookup_word("zebra") is None


def test_old_grammars_are_dropped_after_a_few_phrase_lists() -> None:
    grammar = GrammarDecoder(shared_decoder())
    for number in range(GrammarDecoder.KEEP + 3):
        grammar.activate(
            [
                *COMMANDS,
                f"set a timer for {['one', 'two', 'three', 'four', 'five', 'six', 'seven'][number]} minutes",
            ]
        )
    assert len(grammar._searches) == GrammarDecoder.KEEP


def test_a_request_interrupted_by_the_wake_spotter_is_decoded_from_its_own_audio() -> None:
    recognizer = PocketsphinxRecognizer()
    wake = PocketsphinxWakeDetector()
    pcm = to_pcm16(speech("what time is it"))
    half = len(pcm) // 2 // 3200 * 3200
    recognizer.start(COMMANDS)
    for offset in range(0, half, 3200):
        recognizer.accept(AudioChunk(pcm[offset : offset + 3200], offset / 32000))
    wake.process(AudioChunk(bytes(3200), 0.0))  # takes the shared decoder mid-request
    for offset in range(half, len(pcm), 3200):
        recognizer.accept(AudioChunk(pcm[offset : offset + 3200], offset / 32000))
    assert recognizer.finish().text == "what time is it"


def test_the_wake_word_is_heard_again_after_requests_used_the_decoder(tmp_path: Path) -> None:
    builder = StreamBuilder().pause(0.5)
    for number, request in enumerate(("what time is it", "turn on the desk lamp", "stop")):
        builder.say("hey computer", label=f"wake {number}").pause(0.3).say(request).pause(1.2)
    path = builder.save(tmp_path / "three.wav", noise=0.003)
    turns = VoiceLoop(
        WavFileSource(path),
        PocketsphinxRecognizer(),
        settings=Settings(follow_up_seconds=0.0),
        wake=PocketsphinxWakeDetector(),
        phrases_provider=lambda: COMMANDS,
    ).run()
    assert len(turns) == 3
    for number, turn in enumerate(turns):
        wake = turn.trace.find("wake")
        assert wake is not None and wake.output["detected"] is True
        assert abs(wake.output["at"] - builder.marks[f"wake {number}"][1]) < 0.5
        assert turn.text
