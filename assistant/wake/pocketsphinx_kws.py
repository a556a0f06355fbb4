"""Wake word by pocketsphinx keyword spotting: any English phrase, no training.

Two stages, because pocketsphinx's keyword scores are not calibrated across
noise levels (measured: clean 'hey computer' scores above 1e20, the same phrase
in light white noise below 1e-10, while 'my computer' in clean speech passes 1e10):

1. keyword spotting with a permissive threshold finds candidates cheaply;
2. each candidate window is decoded again with the open language model, and the
   phones of the words heard over the candidate are compared with the phrase's
   phones. 'my computer' (M AY ...) is two phones away from 'hey computer'
   (HH EY ...), 'a computer' said as EY is one (the h is lost in noise).

Both stages are searches on the process's shared pocketsphinx decoder, the one
the recognizer uses (:mod:`assistant.asr.pocketsphinx_decoder`): no decoder of
its own. The acoustic model and dictionary ship inside the pocketsphinx wheel,
so this works offline on a fresh install.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from typing import Any

from assistant.asr.pocketsphinx_decoder import OPEN_SEARCH, SharedDecoder, shared_decoder
from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeError, WakeWordDetector
from assistant.wake.second_check import CandidateCheck

log = logging.getLogger(__name__)

FRAMES_PER_SECOND = 100
"""pocketsphinx works on 10 ms frames."""

CANDIDATE_THRESHOLD = 1e-20
PHONE_LOOP_PENALTY = 1e-10
"""Stage 1 settings: permissive on purpose, so noisy but real wake phrases become candidates."""

BUFFER_SECONDS = 4.0
LEAD_SECONDS = 0.5
"""Audio before the candidate given to the verifier, so it hears the word in context."""

_FILLERS = {"<s>", "</s>", "<sil>"}


def allowed_phone_errors(sensitivity: float, phone_count: int) -> int:
    """Sensitivity 0..1 -> phone edits tolerated between the phrase and what was heard."""
    return int(phone_count * (0.05 + 0.2 * sensitivity))


def edit_distance(first: list[str], second: list[str]) -> int:
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
        previous = current
    return previous[-1]


class PocketsphinxWakeDetector(WakeWordDetector):
    """Keyword spotting with pocketsphinx's kws search, verified by a phone comparison."""

    engine = "pocketsphinx"

    def __init__(
        self,
        phrase: str = "hey computer",
        sensitivity: float = 0.5,
        refractory_seconds: float = 2.0,
        shared: SharedDecoder | None = None,
        second_check: CandidateCheck | None = None,
    ) -> None:
        super().__init__(phrase, sensitivity, refractory_seconds)
        self.second_check = second_check
        """Asked about every candidate the phone comparison rejects (see second_check.py)."""
        try:
            self.shared = shared or shared_decoder()
        except ImportError as error:
            raise WakeError("pocketsphinx is not installed: `pip install pocketsphinx`.") from error
        self.decoder: Any = self.shared.decoder
        missing = [word for word in self.phrase.split() if self.decoder.lookup_word(word) is None]
        if missing:
            raise WakeError(
                "The wake phrase uses words the pocketsphinx dictionary does not know: "
                f"{', '.join(missing)}. Choose common English words, or install a Vosk model "
                "and set wake_engine to vosk."
            )
        self.search = self.shared.keyphrase_search(self.phrase, CANDIDATE_THRESHOLD, PHONE_LOOP_PENALTY)
        self.phones = " ".join(self.decoder.lookup_word(word) for word in self.phrase.split()).split()
        self.max_phone_errors = allowed_phone_errors(sensitivity, len(self.phones))
        self._buffer: deque[AudioChunk] = deque()
        # stream time of the spotting utterance's first sample; the utterance starts at the next
        # chunk after a candidate, a reset, or a request that had the shared decoder meanwhile
        self._utterance_start = 0.0
        self.candidates = 0
        self._window = b""
        """The audio of the last candidate, from a little before it to now."""

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        with self.shared.lock:
            if not self.shared.owns(self):
                self.shared.begin(self, self.search)
                self._utterance_start = chunk.timestamp
            self._remember(chunk)
            self.decoder.process_raw(chunk.audio, False, False)
            if self.decoder.hyp() is None:
                return None
            segments = list(self.decoder.seg() or [])
            start = self._utterance_start
            # a fresh utterance (at the next chunk) clears kws history, so one phrase is not reported twice
            self.shared.end(self)
            if not segments:
                return None
            begin = start + segments[-1].start_frame / FRAMES_PER_SECOND
            end = start + (segments[-1].end_frame + 1) / FRAMES_PER_SECOND
            self.candidates += 1
            errors = self._verify(begin, end)
        # nothing heard over the candidate: no words to check (asking then woke on audio before
        # the phrase, whose refractory period hid the phrase itself)
        if errors is None or errors > self.max_phone_errors and not self._confirmed():
            log.debug("wake candidate %.2f-%.2f s rejected (%s phone errors)", begin, end, errors)
            return None
        if not self._accept(end):
            log.debug("wake at %.2f s ignored: refractory period", end)
            return None
        return self._detected(end, max(0.0, 1.0 - errors / max(1, len(self.phones))))

    def _confirmed(self) -> bool:
        """A candidate the phone comparison rejected, confirmed by the second check (outside the
        decoder lock: it may decode too). In noise the open decoding's phones are far off even
        for a real phrase, so every candidate is asked, however far (measured in second_check.py)."""
        return self.second_check is not None and self.second_check.confirms(self.phrase, self._window)

    def _remember(self, chunk: AudioChunk) -> None:
        self._buffer.append(chunk)
        while self._buffer and chunk.timestamp - self._buffer[0].timestamp > BUFFER_SECONDS:
            self._buffer.popleft()

    def _verify(self, begin: float, end: float) -> int | None:
        """Phone edits between the phrase and the words the open decoder hears over [begin, end]."""
        window_start = max(self._buffer[0].timestamp, begin - LEAD_SECONDS) if self._buffer else begin
        audio = bytearray()
        first_sample: float | None = None
        for piece in self._buffer:
            piece_end = piece.timestamp + len(piece.audio) / (2 * piece.rate)
            if piece_end <= window_start:
                continue
            skip = max(0, int((window_start - piece.timestamp) * piece.rate)) * 2
            if first_sample is None:
                first_sample = piece.timestamp + skip / (2 * piece.rate)
            audio.extend(piece.audio[skip:])
        if first_sample is None or not audio:
            return None
        self._window = bytes(audio)
        # the verifier is the shared decoder's open search: the spotting utterance has just ended
        self.shared.decode_whole(self, bytes(audio), OPEN_SEARCH)
        heard: list[str] = []
        for segment in self.decoder.seg() or []:
            if segment.word in _FILLERS or segment.word.startswith("["):
                continue
            word_start = first_sample + segment.start_frame / FRAMES_PER_SECOND
            word_end = first_sample + (segment.end_frame + 1) / FRAMES_PER_SECOND
            overlap = min(word_end, end) - max(word_start, begin)
            if overlap > 0.5 * (word_end - word_start):
                pronunciation = self.decoder.lookup_word(segment.word) or ""
                heard.extend(pronunciation.split())
        if not heard:
            return None
        return edit_distance(self.phones, [re.sub(r"\d", "", phone) for phone in heard])

    def pause(self) -> None:
        # the utterance's frame times count from its first chunk: a gap would shift them
        with self.shared.lock:
            self.shared.end(self)

    def reset(self) -> None:
        with self.shared.lock:
            self.shared.end(self)
        self._buffer.clear()
        self._last_wake_at = None
