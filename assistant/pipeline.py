"""The voice loop: source -> wake -> vad -> recognizer -> respond -> synthesizer -> sink.

Stages talk through typed events published on an EventBus; each turn carries a
trace with one StageRecord per speech stage (wake, vad, asr, tts) around the
records the responder adds, plus ``response_latency``: the time from detecting
the end of speech to the first reply audio (the silence window itself excluded).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from assistant.asr.base import Recognizer, RecognizerError, normalize_words
from assistant.audio.convert import rms_level
from assistant.audio.errors import AudioError
from assistant.audio.sinks import AudioSink
from assistant.audio.sources import AudioSource
from assistant.bus import EventBus
from assistant.config import Settings
from assistant.dialogue.codes import masked
from assistant.events import (
    AudioChunk,
    Error,
    Event,
    Reply,
    SpeakingStarted,
    SpeakingStopped,
    SpeechEnded,
    SpeechStarted,
    StatusChanged,
    Transcript,
    WakeDetected,
)
from assistant.tts.base import Synthesizer, TTSUnavailable
from assistant.turn import DefectSignal, FailureStage, StageRecord, TurnOutcome, TurnResult
from assistant.vad import EndpointDetector, VadSettings
from assistant.wake.base import WakeWordDetector

log = logging.getLogger(__name__)

Respond = Callable[[Transcript], TurnResult]
"""Understands a transcript and acts on it; the lead's Assistant plugs in here."""

PREROLL_SECONDS = 3.0
"""Audio kept while waiting for the wake word, replayed from the end of the phrase: wake
engines report a phrase a little after it ended, and the request may already have begun."""

NOT_HEARD_REPLY = "Sorry, I didn't catch that."
FAILED_REPLY = "Sorry, something went wrong."


class LoopState(str, Enum):
    """What the loop is doing, as shown in the UI's status line."""

    IDLE = "idle"
    LISTENING = "listening"
    HEARING = "hearing"
    THINKING = "thinking"
    SPEAKING = "speaking"


def read_back(transcript: Transcript) -> TurnResult:
    """A responder that repeats what it heard; used when no Assistant is plugged in."""
    reply = f"You said: {transcript.text}." if transcript.text else NOT_HEARD_REPLY
    return TurnResult(
        text=transcript.text, reply=reply, confidence=transcript.confidence, outcome=TurnOutcome.UNKNOWN
    )


@dataclass
class _Request:
    """One request being heard: where it began and what each stage has done so far."""

    begun_at: float
    wake: WakeDetected | None
    follow_up: bool
    vad: EndpointDetector | None
    phrases: list[str]
    records: list[StageRecord] = field(default_factory=list)
    vad_ms: float = 0.0
    asr_ms: float = 0.0
    audio_seconds: float = 0.0
    speech_started: SpeechStarted | None = None


class VoiceLoop:
    """Runs the speech stages on one audio source; ``run()`` for files, ``start()`` for a thread."""

    def __init__(
        self,
        source: AudioSource,
        recognizer: Recognizer,
        respond: Respond = read_back,
        *,
        settings: Settings | None = None,
        wake: WakeWordDetector | None = None,
        synthesizer: Synthesizer | None = None,
        sink: AudioSink | None = None,
        bus: EventBus | None = None,
        phrases_provider: Callable[[], list[str]] | None = None,
        no_wake: bool = False,
        on_turn: Callable[[TurnResult], None] | None = None,
        speak_in_background: bool | None = None,
    ) -> None:
        if wake is None and not no_wake:
            raise ValueError("VoiceLoop needs a wake word detector unless no_wake=True.")
        self.source = source
        self.recognizer = recognizer
        self.respond = respond
        self.settings = settings or Settings()
        self.wake = wake
        self.synthesizer = synthesizer
        self.sink = sink
        self.bus = bus or EventBus()
        self.phrases_provider = phrases_provider
        self.no_wake = no_wake
        self.on_turn = on_turn
        # Files are processed faster than real time, so speaking inline keeps stream time and
        # follow-up windows meaningful; live or paced sources speak in a thread to allow barge-in.
        self.speak_in_background = (
            speak_in_background
            if speak_in_background is not None
            else source.is_live or bool(getattr(source, "realtime", False))
        )
        self.turns: list[TurnResult] = []
        self.state = LoopState.IDLE
        self._request: _Request | None = None
        self._preroll: deque[AudioChunk] = deque()
        self._noise = EndpointDetector(self._vad_settings())
        self._stop = threading.Event()
        self._barge_in = threading.Event()
        self._thread: threading.Thread | None = None
        self._speaker: threading.Thread | None = None
        self._speaking_turn: TurnResult | None = None
        self._follow_up_pending: float = 0.0
        self._code_asked = False
        """The last reply, spoken or typed, asked for a code: the next request's words are
        shown and traced masked (``_heard_reply``, from when the loop is made until it ends)."""
        self._unsubscribe = self.bus.subscribe(self._heard_reply)
        self._speaking_done = threading.Event()
        self._output_lock = threading.Lock()
        """One voice at a time: replies and out-of-turn notices never overlap."""
        self._last_level_at = 0.0
        self._position = 0.0

    # ----------------------------------------------------------------- control

    def run(self) -> list[TurnResult]:
        """Process the whole source in this thread; returns the turns."""
        self._set_state(LoopState.LISTENING)
        if self.no_wake:
            self._begin_request(0.0, None, follow_up=False)
        try:
            for chunk in self.source.chunks():
                if self._stop.is_set():
                    break
                self._process(chunk)
        except AudioError as error:
            self._publish(Error(text=str(error), code="audio", stage="audio"))
            self._publish(StatusChanged(state="no-audio", detail=str(error)))
        finally:
            self._end_of_input()
            self._unsubscribe()
        return self.turns

    def _heard_reply(self, event: Event) -> None:
        if isinstance(event, Reply):
            self._code_asked = event.expects_code

    def start(self) -> None:
        """Run in a background thread (for the microphone and the UI)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="voice-loop", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening and speaking; waits for the loop thread."""
        self._stop.set()
        self.source.close()
        if self.synthesizer is not None:
            self.synthesizer.stop()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def barge_in(self) -> None:
        """Stop speaking now and listen for a request without the wake word (the UI's key)."""
        self._barge_in.set()
        self._interrupt_speaking()

    def speak(self, text: str) -> None:
        """Say something outside a turn (a timer going off), after any reply in progress.

        The wake word or ``barge_in()`` interrupts it like any reply."""
        if self.synthesizer is None or self.sink is None or not text:
            return
        self.wait_until_quiet()
        with self._output_lock:
            self._publish(SpeakingStarted(text=text))
            try:
                finished = self.synthesizer.speak(text, self.sink)
            except (TTSUnavailable, AudioError) as error:
                self._publish(Error(text=str(error), code="tts", stage="tts"))
                return
            self._publish(SpeakingStopped(interrupted=not finished))

    @property
    def speaking(self) -> bool:
        return self._speaker is not None and self._speaker.is_alive()

    def wait_until_quiet(self, timeout: float = 30.0) -> None:
        """Block until any reply has finished playing."""
        if self._speaker is not None:
            self._speaker.join(timeout)

    # ------------------------------------------------------------- processing

    def _process(self, chunk: AudioChunk) -> None:
        self._position = chunk.timestamp + len(chunk.audio) / (2 * chunk.rate)
        self._report_level(chunk)
        if self._barge_in.is_set():
            self._barge_in.clear()
            if self._request is None:
                self._begin_request(chunk.timestamp, None, follow_up=True)
        if self._request is None and self._speaking_done.is_set():
            self._speaking_done.clear()
            if self._follow_up_pending > 0:
                self._begin_request(chunk.timestamp, None, follow_up=True, window=self._follow_up_pending)
                self._follow_up_pending = 0.0
        if self._request is not None:
            self._feed_request(chunk)
            return
        self._listen_for_wake(chunk)

    def _listen_for_wake(self, chunk: AudioChunk) -> None:
        self._preroll.append(chunk)
        while self._preroll and chunk.timestamp - self._preroll[0].timestamp > PREROLL_SECONDS:
            self._preroll.popleft()
        self._noise.observe(chunk)
        if self.wake is None:
            if self.no_wake and self.source.is_live and not self.speaking:
                self._begin_request(chunk.timestamp, None, follow_up=True, window=float("inf"))
            return
        began = time.perf_counter()
        detected = self.wake.process(chunk)
        wake_ms = (time.perf_counter() - began) * 1000
        if detected is None:
            return
        self._publish(detected)
        if self.speaking:
            self._interrupt_speaking()
        replay = [piece for piece in self._preroll if piece.timestamp + _seconds(piece) > detected.at]
        self._preroll.clear()
        self._begin_request(detected.at, detected, follow_up=False, wake_ms=wake_ms)
        for piece in replay:
            if self._request is None:
                break
            self._feed_request(_trim_before(piece, detected.at))

    def _begin_request(
        self,
        at: float,
        wake: WakeDetected | None,
        follow_up: bool,
        window: float | None = None,
        wake_ms: float = 0.0,
    ) -> None:
        vad: EndpointDetector | None = None
        if not (self.no_wake and not self.source.is_live and not follow_up):
            settings = self._vad_settings()
            if window is not None:
                settings.no_speech_timeout = window
            vad = EndpointDetector(settings)
            vad.learn_noise_from(self._noise)  # start from the floor learned while waiting
            vad.start(at)
        if not follow_up:
            self._follow_up_pending = 0.0  # a new wake cancels the previous turn's follow-up
        phrases = self._phrases()
        request = _Request(begun_at=at, wake=wake, follow_up=follow_up, vad=vad, phrases=phrases)
        request.records.append(
            StageRecord(
                stage="wake",
                input=self.wake.phrase if self.wake is not None else None,
                output={
                    "detected": wake is not None,
                    "at": wake.at if wake else None,
                    "follow_up": follow_up,
                    "engine": self.wake.engine if self.wake is not None else None,
                },
                confidence=wake.score if wake else None,
                started_at=time.time(),
                ms=round(wake_ms, 3),
            )
        )
        try:
            self.recognizer.start(phrases or None)
        except RecognizerError as error:
            self._publish(Error(text=str(error), code="recognizer", stage="asr"))
            return
        self._request = request
        self._set_state(LoopState.LISTENING, "follow-up" if follow_up else "request")

    def _phrases(self) -> list[str]:
        if self.phrases_provider is None:
            return []
        try:
            return list(self.phrases_provider())
        except Exception as error:  # a broken provider must not stop listening; recognize openly
            log.exception("phrases_provider failed")
            self._publish(
                Error(text=f"Could not get phrases for biasing: {error}", code="phrases", stage="asr")
            )
            return []

    def _feed_request(self, chunk: AudioChunk) -> None:
        request = self._request
        if request is None:
            return
        request.audio_seconds += _seconds(chunk)
        began = time.perf_counter()
        partial = self.recognizer.accept(chunk)
        request.asr_ms += (time.perf_counter() - began) * 1000
        if partial is not None and not self._code_asked:  # a code is never shown as it is spoken
            self._publish(dataclasses.replace(partial, text=masked(partial.text)))
        if request.vad is None:  # a whole recording as one request (--no-wake): still bounded
            if request.audio_seconds >= self.settings.max_utterance_seconds:
                self._end_request(SpeechEnded(at=self._position, reason="max-length"))
            return
        began = time.perf_counter()
        events = request.vad.process(chunk)
        request.vad_ms += (time.perf_counter() - began) * 1000
        for event in events:
            self._publish(event)
            if isinstance(event, SpeechStarted):
                request.speech_started = event
                self._set_state(LoopState.HEARING)
            elif isinstance(event, SpeechEnded):
                self._end_request(event)
                return

    def _end_request(self, ended: SpeechEnded) -> None:
        request = self._request
        self._request = None
        if request is None:
            return
        detected_at = time.perf_counter()
        if request.speech_started is None and not (self.no_wake and request.vad is None):
            # nobody spoke after the wake word (or in the follow-up window): no turn
            self.recognizer.finish()
            self._set_state(LoopState.LISTENING, "no speech heard")
            if self.wake is not None:
                self.wake.reset()
            return
        self._set_state(LoopState.THINKING)
        request.records.append(
            StageRecord(
                stage="vad",
                input={"silence_window": self.settings.silence_window_seconds},
                output={
                    "speech_start": request.speech_started.at if request.speech_started else request.begun_at,
                    "speech_end": ended.at,
                    "reason": ended.reason,
                },
                started_at=time.time(),
                ms=round(request.vad_ms, 3),
            )
        )
        transcript = self._recognize(request)
        result = self._respond(transcript)
        result.trace.stages = [*request.records, *result.trace.stages]
        # The channel a request came in on answers it: the voice loop publishes the Reply of
        # every spoken turn (the assistant publishes those of typed ones).
        self._publish(
            Reply(
                text=result.reply,
                expects_answer=result.expects_answer,
                expects_code=result.expects_code,
                session_id=result.session_id,
            )
        )
        window = self.settings.follow_up_seconds
        if result.expects_answer and window <= 0:
            window = self.settings.no_speech_timeout_seconds
        self._follow_up_pending = window if not self.no_wake or self.source.is_live else 0.0
        self._speak(result, detected_at)

    def _recognize(self, request: _Request) -> Transcript:
        began = time.perf_counter()
        try:
            transcript = self.recognizer.finish()
        except RecognizerError as error:
            self._publish(Error(text=str(error), code="recognizer", stage="asr"))
            transcript = Transcript(engine=self.recognizer.engine)
        request.asr_ms += (time.perf_counter() - began) * 1000
        if request.follow_up or request.wake is None:
            transcript = dataclasses.replace(transcript, text=self._strip_wake_phrase(transcript.text))
        # The trace and the screen get the words with any code masked; only the turn gets the code.
        shown = masked(transcript.text, self._code_asked)
        request.records.append(
            StageRecord(
                stage="asr",
                input={
                    "seconds": round(request.audio_seconds, 3),
                    "phrases": len(request.phrases),
                    "engine": transcript.engine or self.recognizer.engine,
                    "path": transcript.path,
                },
                output=shown,
                confidence=transcript.confidence,
                started_at=time.time(),
                ms=round(request.asr_ms, 3),
                ok=bool(transcript.text),
            )
        )
        if shown != transcript.text:
            self._publish(dataclasses.replace(transcript, text=shown, alternatives=[]))
        else:
            self._publish(transcript)
        return transcript

    def _strip_wake_phrase(self, text: str) -> str:
        """Without the wake word being required, people still often say it; it is not the request."""
        if self.wake is None:
            phrase = normalize_words(self.settings.wake_phrase)
        else:
            phrase = self.wake.phrase.split()
        words = text.split()
        if phrase and words[: len(phrase)] == phrase:
            return " ".join(words[len(phrase) :])
        return text

    def _respond(self, transcript: Transcript) -> TurnResult:
        if not transcript.text:
            return TurnResult(
                text="",
                reply=NOT_HEARD_REPLY,
                outcome=TurnOutcome.FAILURE,
                failure_stage=FailureStage.RECOGNITION,
            )
        try:
            return self.respond(transcript)
        except Exception as error:  # the loop must survive a failing responder; the user hears why
            log.exception("respond failed for %r", masked(transcript.text, self._code_asked))
            self._publish(Error(text=str(error), code="respond", stage="respond"))
            return TurnResult(
                text=transcript.text,
                reply=FAILED_REPLY,
                outcome=TurnOutcome.FAILURE,
                failure_stage=FailureStage.RESULT,
            )

    # ---------------------------------------------------------------- speaking

    def _speak(self, result: TurnResult, detected_at: float) -> None:
        if self.synthesizer is None or self.sink is None or not result.reply:
            latency = (time.perf_counter() - detected_at) * 1000
            result.trace.add(
                StageRecord(
                    stage="response_latency", input="end of speech", output="reply text", ms=round(latency, 3)
                )
            )
            self._finish_turn(result)
            return
        if self.speak_in_background:
            self.wait_until_quiet()
            self._speaking_done.clear()
            self._speaker = threading.Thread(
                target=self._speak_now, args=(result, detected_at), name="voice-speaker", daemon=True
            )
            self._speaker.start()
        else:
            self._speak_now(result, detected_at)

    def _speak_now(self, result: TurnResult, detected_at: float) -> None:
        if self.synthesizer is None or self.sink is None:
            return
        text = " ".join([result.reply, *result.notices]).strip()
        first_audio: list[float] = []

        def on_first_audio() -> None:
            first_audio.append(time.perf_counter())
            self._publish(SpeakingStarted(text=text))
            self._set_state(LoopState.SPEAKING)

        self._speaking_turn = result
        began = time.perf_counter()
        record = StageRecord(stage="tts", input=text, started_at=time.time())
        try:
            with self._output_lock:
                finished = self.synthesizer.speak(text, self.sink, on_first_audio)
            record.output = {"engine": self.synthesizer.engine, "interrupted": not finished}
        except (TTSUnavailable, AudioError) as error:
            finished = False
            record.ok, record.error = False, str(error)
            self._publish(Error(text=str(error), code="tts", stage="tts"))
        record.ms = round((time.perf_counter() - began) * 1000, 3)
        self._speaking_turn = None
        result.trace.add(record)
        if first_audio:
            result.trace.add(
                StageRecord(
                    stage="response_latency",
                    input="end of speech",
                    output="first audio",
                    ms=round((first_audio[0] - detected_at) * 1000, 3),
                )
            )
            self._publish(SpeakingStopped(interrupted=not finished))
        if not finished and record.ok:
            result.feedback.signals.add(DefectSignal.BARGE_IN)
        self._set_state(LoopState.LISTENING)
        self._finish_turn(result)
        self._speaking_done.set()

    def _interrupt_speaking(self) -> None:
        if self.synthesizer is not None and self.speaking:
            self.synthesizer.stop()

    def _finish_turn(self, result: TurnResult) -> None:
        self.turns.append(result)
        if not self.speak_in_background or self.synthesizer is None:
            self._speaking_done.set()
        if self.on_turn is not None:
            try:
                self.on_turn(result)
            except Exception:  # a broken listener must not stop the loop
                log.exception("on_turn callback failed")

    def _end_of_input(self) -> None:
        if self._request is not None:
            request = self._request
            if request.vad is not None:
                ended = request.vad.finish() or SpeechEnded(at=self._position, reason="end-of-input")
            else:
                ended = SpeechEnded(at=self._position, reason="end-of-input")
            self._publish(ended)
            self._end_request(ended)
        self.wait_until_quiet()
        self._set_state(LoopState.IDLE)

    # ------------------------------------------------------------------ helpers

    def _vad_settings(self) -> VadSettings:
        return VadSettings(
            silence_window=self.settings.silence_window_seconds,
            max_utterance=self.settings.max_utterance_seconds,
            no_speech_timeout=self.settings.no_speech_timeout_seconds,
        )

    def _report_level(self, chunk: AudioChunk) -> None:
        if not self.source.is_live:
            return
        now = time.monotonic()
        if now - self._last_level_at >= 0.2:
            self._last_level_at = now
            self._publish(StatusChanged(state=self.state.value, level=min(1.0, rms_level(chunk.audio) * 5)))

    def _set_state(self, state: LoopState, detail: str = "") -> None:
        self.state = state
        self._publish(StatusChanged(state=state.value, detail=detail))

    def _publish(self, event: Event) -> None:
        self.bus.publish(event)


def _seconds(chunk: AudioChunk) -> float:
    return len(chunk.audio) / (2 * chunk.rate)


def _trim_before(chunk: AudioChunk, at: float) -> AudioChunk:
    """The part of ``chunk`` after stream time ``at``."""
    if chunk.timestamp >= at:
        return chunk
    skip = int((at - chunk.timestamp) * chunk.rate) * 2
    return AudioChunk(audio=chunk.audio[skip:], timestamp=at, rate=chunk.rate)


__all__ = ["LoopState", "Respond", "VoiceLoop", "read_back"]
