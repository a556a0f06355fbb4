"""The assistant's engines and understanding as a Wyoming ``Offer`` (for ``serve --wyoming``)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from assistant.turn import TurnOutcome
from assistant.wyoming.offer import Handled, Offer, Understood

if TYPE_CHECKING:
    from assistant.core import Assistant


def build_offer(assistant: Assistant) -> Offer:
    """What ``assistant`` offers Wyoming clients; its engines are made when first asked for."""
    from assistant.asr import create_recognizer
    from assistant.tts import create_synthesizer
    from assistant.wake import create_wake_detector

    settings = assistant.settings
    home = assistant.home

    def handle(text: str, conversation: str) -> Handled:
        turn = assistant.handle_text(text, conversation)
        return Handled(reply=turn.reply, done=turn.outcome is not TurnOutcome.FAILURE)

    def understand(text: str) -> Understood | None:
        candidate = assistant.understand(text)
        if candidate is None or candidate.intent is None:
            return None
        return Understood(intent=candidate.intent, slots=dict(candidate.slots))

    asr_engine = settings.asr_engine if "://" not in settings.asr_engine else "wyoming"
    tts_engine = settings.tts_engine if "://" not in settings.tts_engine else "wyoming"
    return Offer(
        wake_phrase=settings.wake_phrase,
        recognizer=lambda: create_recognizer(settings, home).recognizer,
        wake_detector=lambda: create_wake_detector(dataclasses.replace(settings), home),
        synthesizer=lambda: create_synthesizer(settings),
        handle=handle,
        understand=understand,
        phrases=assistant.phrases,
        asr_engine=asr_engine,
        tts_engine=tts_engine,
    )
