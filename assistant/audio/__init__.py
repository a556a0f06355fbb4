"""Audio in and out: WAV/stdin/microphone sources, WAV/speaker sinks, format conversion.

Everything inside the assistant is 16 kHz mono signed 16-bit PCM; this package
is where other formats are converted.
"""

from assistant.audio.convert import TARGET_RATE, WavInfo, read_wav, read_wav_samples, resample, write_wav
from assistant.audio.device import DeviceInfo, list_devices
from assistant.audio.errors import AudioError, AudioUnavailable
from assistant.audio.sinks import AudioSink, NullSink, SpeakerSink, WavFileSink
from assistant.audio.sources import AudioSource, MicrophoneSource, StdinRawSource, WavFileSource

__all__ = [
    "TARGET_RATE",
    "AudioError",
    "AudioSink",
    "AudioSource",
    "AudioUnavailable",
    "DeviceInfo",
    "MicrophoneSource",
    "NullSink",
    "SpeakerSink",
    "StdinRawSource",
    "WavFileSink",
    "WavFileSource",
    "WavInfo",
    "list_devices",
    "read_wav",
    "read_wav_samples",
    "resample",
    "write_wav",
]
