"""Pure helpers that turn assistant values into short text for the screens.

Nothing here touches Textual, so every function can be tested on plain values.
"""

from __future__ import annotations

import json
import math
import time

STATE_LABELS: dict[str, str] = {
    "starting": "starting…",
    "idle": "idle",
    "listening": "listening for the wake word",
    "hearing": "hearing you",
    "thinking": "thinking",
    "speaking": "speaking",
    "no-audio": "no voice input: type your requests",
    "voice-off": "voice off: type your requests",
    "failed": "could not start",
}
"""What the status line says for each voice-loop state."""

METER_WIDTH = 10


def clock_time(timestamp: float) -> str:
    """``13:05:09`` in local time."""
    return time.strftime("%H:%M:%S", time.localtime(timestamp))


def day_and_time(timestamp: float) -> str:
    """``03-14 13:05`` in local time, for lists that span days."""
    return time.strftime("%m-%d %H:%M", time.localtime(timestamp))


def retry_text(retry_at: float, now: float) -> str:
    """``trying again in 4 s`` counting down to ``retry_at``, then ``trying again now``."""
    left = math.ceil(retry_at - now)
    return f"trying again in {left} s" if left > 0 else "trying again now"


def time_left(seconds: float) -> str:
    """``1:02:03``, ``4:05`` or ``0:09`` for a countdown; never negative."""
    whole = max(0, int(seconds + 0.999))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def level_meter(level: float, width: int = METER_WIDTH) -> str:
    """A bar of blocks for a microphone level between 0 and 1."""
    clamped = min(1.0, max(0.0, level))
    filled = round(clamped * width)
    return "▮" * filled + "▯" * (width - filled)


def state_label(state: str, detail: str = "") -> str:
    """Readable text for a voice-loop state, with its detail when there is one."""
    label = STATE_LABELS.get(state, state)
    if detail and state in ("no-audio", "failed", "voice-off"):
        return f"{label} ({detail})"
    return label


def confidence(value: float | None) -> str:
    """``0.93``, or an em dash when the stage gave no confidence."""
    return "—" if value is None else f"{value:.2f}"


def milliseconds(value: float) -> str:
    """``12.3 ms`` / ``1.20 s``."""
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.1f} ms"


def short_value(value: object, limit: int = 60) -> str:
    """A one-line, bounded rendering of a stage's input or output."""
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def handled_by(intent: str | None, source: str, value: float) -> str:
    """``timer.set · rules · 0.98`` — which intent answered and how sure it was."""
    if not intent:
        return "not understood" + (f" · {source}" if source else "")
    parts = [intent]
    if source:
        parts.append(source)
    parts.append(f"{value:.2f}")
    return " · ".join(parts)
