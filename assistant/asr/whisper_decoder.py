"""Whisper decoding of one whole utterance: encode once, decode openly and with a prompt, score.

Whisper's encoder always sees a fixed window (30 s, 3000 feature frames), which costs about
2 s on a busy 2-core machine for a 2 s request. CTranslate2 accepts a shorter window, so the
audio is padded only to ``context_frames(seconds)`` (measured in benchmarks/speech.py: the
same words at a tenth of the cost; much shorter windows start to drop first words).

``score`` is the language-neutral judge between hypotheses: the mean log probability the
model gives a text's tokens for this audio *without* any prompt (CTranslate2's ``align``),
so a biased hypothesis, a grammar result and the open one are compared on the same terms.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

SAMPLE_RATE = 16000
FRAMES_PER_SECOND = 100
MIN_CONTEXT_SECONDS = 10.0
"""Shortest encoder window. Measured on Piper and eSpeak requests: at 4 s first words go
("ad bread"), at 10 s the transcripts equal the 30 s ones at a quarter of the cost or less."""
MAX_CONTEXT_FRAMES = 3000
PROMPT_TOKENS = 200
"""Whisper takes at most 223 prompt tokens; the most useful words go last (nearest the audio)."""
MAX_NEW_TOKENS = 120


@dataclass(frozen=True)
class Hypothesis:
    """One decoded or scored text for an utterance."""

    text: str
    """As Whisper wrote it (cased, punctuated)."""
    score: float
    """Mean log probability of its tokens given the audio, without a prompt (higher is better)."""
    no_speech: float = 0.0
    """Whisper's probability that the window holds no speech."""
    source: str = "open"
    """open, prompted, or where a scored candidate came from."""

    @property
    def confidence(self) -> float:
        return round(min(1.0, max(0.0, math.exp(self.score))), 4)


def context_frames(seconds: float) -> int:
    """Encoder window for an utterance of ``seconds``: at least MIN_CONTEXT_SECONDS, at most 30 s."""
    wanted = max(MIN_CONTEXT_SECONDS, seconds + 1.0) * FRAMES_PER_SECOND
    return int(min(MAX_CONTEXT_FRAMES, wanted))


class EncodedUtterance:
    """The encoder's output for one utterance, decoded and scored as many times as needed."""

    def __init__(self, model: Any, samples: np.ndarray) -> None:
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer

        self.model = model
        self.tokenizer = Tokenizer(
            model.hf_tokenizer,
            model.model.is_multilingual,
            task="transcribe",
            language="en" if model.model.is_multilingual else None,
        )
        seconds = len(samples) / SAMPLE_RATE
        features = model.feature_extractor(samples)
        frames = context_frames(seconds)
        self.content_frames = min(features.shape[-1], frames)
        padded = np.zeros((features.shape[0], frames), dtype=np.float32)
        padded[:, : self.content_frames] = features[:, : self.content_frames]
        self.encoded = model.model.encode(ctranslate2.StorageView.from_array(padded[None]), to_cpu=False)

    def decode(self, prompt: str = "") -> Hypothesis:
        """Greedy decoding, with ``prompt`` as previous text when given."""
        tokens = [*self.tokenizer.sot_sequence, self.tokenizer.no_timestamps]
        if prompt:
            prompt_tokens = self.tokenizer.encode(" " + prompt.strip())[-PROMPT_TOKENS:]
            tokens = [self.tokenizer.sot_prev, *prompt_tokens, *tokens]
        result = self.model.model.generate(
            self.encoded,
            [tokens],
            beam_size=1,
            max_length=MAX_NEW_TOKENS,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        text = self.tokenizer.decode(result.sequences_ids[0]).strip()
        no_speech = float(getattr(result, "no_speech_prob", 0.0))
        return Hypothesis(text, self.score(text), no_speech, "prompted" if prompt else "open")

    def score(self, text: str) -> float:
        """Mean log probability of ``text``'s tokens (and the end) for this audio, no prompt."""
        tokens = self.tokenizer.encode(" " + text.strip()) if text.strip() else []
        if not tokens:
            return -10.0
        result = self.model.model.align(
            self.encoded, self.tokenizer.sot_sequence, [tokens], self.content_frames
        )[0]
        probabilities = [max(float(p), 1e-9) for p in result.text_token_probs]
        return sum(math.log(p) for p in probabilities) / len(probabilities) if probabilities else -10.0


_NUMBER_PUNCTUATION = re.compile(r"(?<=\d)[.:,](?=\d)")
_WORD = re.compile(r"\d+(?:[\x01\x02]\d+)*%?(?![^\W_])|[^\W_]+(?:'[^\W_]+)*")


def spoken_form(text: str) -> str:
    """Whisper's written text in the recognizers' form: lower case, no punctuation, with numbers'
    own marks kept ("10:30", "2.5", "50%"), words joined by hyphens split ("ill-disposed")."""
    protected = _NUMBER_PUNCTUATION.sub(lambda match: {".": "\x01", ":": "\x02", ",": ""}[match.group()], text)
    words = _WORD.findall(protected.lower().replace("-", " ").replace("’", "'"))
    return " ".join(words).replace("\x01", ".").replace("\x02", ":")
