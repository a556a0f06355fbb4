"""Access to sound hardware through sounddevice (PortAudio), with plain errors."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from assistant.audio.errors import AudioUnavailable


def load_sounddevice() -> ModuleType:
    """Import sounddevice; AudioUnavailable when PortAudio is missing."""
    try:
        import sounddevice
    except OSError as error:  # raised when libportaudio cannot be loaded
        raise AudioUnavailable(
            "PortAudio is not installed, so there is no microphone or speaker access. "
            "Install it with `sudo apt-get install libportaudio2`; typed input still works."
        ) from error
    except ImportError as error:
        raise AudioUnavailable(
            "The sounddevice package is missing. Install it with `pip install sounddevice`."
        ) from error
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    """One sound device as PortAudio sees it."""

    index: int
    name: str
    inputs: int
    outputs: int
    default_rate: float
    is_default_input: bool = False
    is_default_output: bool = False


def list_devices() -> list[DeviceInfo]:
    """Every sound device; an empty list when there are none. Raises AudioUnavailable."""
    sd = load_sounddevice()
    try:
        raw: Any = sd.query_devices()
        default_input, default_output = _defaults(sd)
    except sd.PortAudioError as error:
        raise AudioUnavailable(f"PortAudio cannot list the sound devices: {error}.") from error
    devices = []
    for index, item in enumerate(raw):
        devices.append(
            DeviceInfo(
                index=index,
                name=str(item["name"]),
                inputs=int(item["max_input_channels"]),
                outputs=int(item["max_output_channels"]),
                default_rate=float(item["default_samplerate"]),
                is_default_input=index == default_input,
                is_default_output=index == default_output,
            )
        )
    return devices


def _defaults(sd: ModuleType) -> tuple[int, int]:
    value = sd.default.device
    try:
        return int(value[0]), int(value[1])
    except (TypeError, IndexError, ValueError):
        return -1, -1


def require_device(kind: str, device: int | str | None = None) -> Any:
    """Check that an input/output device exists; returns its query info. Raises AudioUnavailable."""
    sd = load_sounddevice()
    try:
        return sd.query_devices(device, kind=kind)
    except (sd.PortAudioError, ValueError) as error:
        what = "microphone" if kind == "input" else "speaker"
        raise AudioUnavailable(
            f"No {what} is available ({error}). Connect one, pick another with `assistant devices`, "
            f"or use a WAV file instead (--input / --to)."
        ) from error
