"""Does biasing make free speech worse? Whisper's open decoding against what the recognizer reports.

Free speech that is not a request (read-aloud sentences, remarks to a colleague) is spoken by
Piper (joe) and eSpeak NG (en-us), then transcribed twice on the same audio: Whisper alone with
no prompt (open), and the default recognizer as the voice loop runs it (the hybrid: grammar pass,
prompted decoding, first-word repairs, the understanding stage's judgement). The WER of each
against the sentence is printed, with how many transcripts the biasing changed and for the
worse. pocketsphinx open against biased is printed for comparison.

    .venv/bin/python benchmarks/dictation_bias.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.asr.base import normalize_words  # noqa: E402
from assistant.audio.convert import to_pcm16  # noqa: E402
from tests.speechgen import DISTRACTORS, speech, word_error_rate  # noqa: E402

READ_ALOUD = [
    "he was not an ill disposed young man",
    "it was the best of times it was the worst of times",
    "the old man looked at the sea and said nothing for a long while",
    "she kept a small garden behind the house where the roses grew wild",
    "the letter arrived on a grey morning in the middle of november",
    "nobody in the village could remember a winter as cold as that one",
    "they walked along the river until the lights of the town appeared",
    "my sister thinks we should paint the kitchen a brighter colour",
    "the train to the coast leaves every hour from platform four",
    "i told him the meeting had been moved to thursday afternoon",
]
SENTENCES = READ_ALOUD + DISTRACTORS


def main() -> None:
    from assistant.asr import create_recognizer
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
    from assistant.config import Home, Settings
    from assistant.core import open_assistant
    from assistant.voice import understanding_judge

    with tempfile.TemporaryDirectory() as folder:
        home = Home.locate(folder).ensure()
        assistant = open_assistant(home, plugins=False)
        phrases = assistant.phrases()
        open_whisper = create_recognizer(Settings(), home, engine="whisper").recognizer
        hybrid = create_recognizer(Settings(), home, engine="auto", judge=understanding_judge(assistant))
        sphinx = PocketsphinxRecognizer()
        print(f"{len(SENTENCES)} free-speech sentences, {len(phrases)} phrases for biasing")
        for voice in ("piper", "espeak"):
            totals = {
                "whisper open": 0.0,
                "default (biased)": 0.0,
                "pocketsphinx open": 0.0,
                "pocketsphinx biased": 0.0,
            }
            changed = worse = 0
            words = 0
            for sentence in SENTENCES:
                pcm = to_pcm16(speech(sentence, voice))
                reference = " ".join(normalize_words(sentence))
                heard = {
                    "whisper open": open_whisper.transcribe(pcm, None).text,
                    "default (biased)": hybrid.recognizer.transcribe(pcm, phrases).text,
                    "pocketsphinx open": sphinx.transcribe(pcm, None).text,
                    "pocketsphinx biased": sphinx.transcribe(pcm, phrases).text,
                }
                size = len(reference.split())
                words += size
                for label, text in heard.items():
                    totals[label] += word_error_rate(reference, text) * size
                if heard["default (biased)"] != heard["whisper open"]:
                    changed += 1
                    before = word_error_rate(reference, heard["whisper open"])
                    after = word_error_rate(reference, heard["default (biased)"])
                    worse += after > before
                    print(f"  [{voice}] {heard['whisper open']!r} -> {heard['default (biased)']!r}")
            figures = ", ".join(f"{label} WER {errors / words:.3f}" for label, errors in totals.items())
            print(
                f"- {voice}: {figures}; biasing changed {changed} of {len(SENTENCES)}, {worse} for the worse"
            )
        assistant.close()


if __name__ == "__main__":
    main()
