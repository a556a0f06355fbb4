"""Start the live voice loop for a running assistant (used by ``serve`` and the UI).

Anything missing (microphone, PortAudio, a model, a speech engine) becomes a
status the caller shows; typed requests keep working.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def start_voice_loop(assistant: Any) -> dict[str, Any]:
    """Start listening on the microphone; on any missing piece, explain and return without it.

    Returns {"state": "listening" | "no-audio" | "unavailable", "detail": str, "loop": VoiceLoop | None}.
    """
    try:
        from assistant.asr import create_recognizer
        from assistant.audio.sinks import NullSink, SpeakerSink
        from assistant.audio.sources import MicrophoneSource
        from assistant.pipeline import VoiceLoop
        from assistant.tts import create_synthesizer
        from assistant.wake import create_wake_detector
    except ImportError as error:
        log.info("Voice loop unavailable: %s", error, exc_info=True)
        detail = f"the voice loop cannot start ({error}); typed requests still work."
        return {"state": "unavailable", "detail": detail, "loop": None}
    settings = assistant.settings
    try:
        source = MicrophoneSource()
        choice = create_recognizer(settings, assistant.home)
        wake = create_wake_detector(settings, assistant.home)
    except Exception as error:  # no microphone, no model, no sound library: the API still works
        log.info("No voice loop: %s", error, exc_info=True)
        detail = f"no voice input ({error}). Typed requests still work."
        return {"state": "no-audio", "detail": detail, "loop": None}
    synthesizer = None
    try:
        synthesizer = create_synthesizer(settings)
        sink: Any = SpeakerSink()
    except Exception as error:  # no speaker or TTS engine: replies are still shown and sent as events
        log.info("Speaking disabled: %s", error, exc_info=True)
        sink = NullSink()
    loop = VoiceLoop(
        source,
        choice.recognizer,
        assistant.handle_transcript,
        settings=settings,
        wake=wake,
        synthesizer=synthesizer,
        sink=sink,
        bus=assistant.bus,
        phrases_provider=assistant.phrases,
    )
    loop.start()
    assistant.speaker = loop  # timer notices are spoken through the same voice
    return {
        "state": "listening",
        "detail": f'listening for "{settings.wake_phrase}". {choice.message}',
        "loop": loop,
    }
