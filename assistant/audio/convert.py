"""Read WAV files of any common shape and convert audio to 16 kHz mono 16-bit.

We parse the RIFF chunks ourselves instead of using :mod:`wave` because
``wave`` rejects IEEE-float and WAVE_FORMAT_EXTENSIBLE files, which is what
sox, Audacity and many recorders write for 24/32-bit audio.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.audio.errors import AudioError

TARGET_RATE = 16000
"""Every stage works on 16 kHz mono signed 16-bit little-endian PCM."""

_PCM = 1
_FLOAT = 3
_EXTENSIBLE = 0xFFFE
_STREAMING_SIZES = (0, 0xFFFFFFFF)
"""Data sizes written by recorders that did not know the length in advance."""


@dataclass(frozen=True)
class WavInfo:
    """What a WAV file holds, before conversion."""

    rate: int
    channels: int
    bits: int
    is_float: bool
    frames: int

    @property
    def seconds(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


MAX_WAV_BYTES = 1 << 30
"""1 GiB: hours of speech; anything larger is not one recording to listen to."""
MIN_RATE, MAX_RATE, MAX_CHANNELS = 4_000, 384_000, 32
"""Sample rates and channel counts of real recordings (a damaged header must not make
resampling allocate hundreds of gigabytes)."""


def read_wav(path: str | Path) -> bytes:
    """Read any PCM/float WAV and return 16 kHz mono s16le bytes; raises AudioError."""
    samples, info = read_wav_samples(path)
    return to_pcm16(resample(samples, info.rate, TARGET_RATE))


def read_wav_samples(path: str | Path) -> tuple[np.ndarray, WavInfo]:
    """Mono float32 samples in -1..1 and the file's format; raises AudioError."""
    file = Path(path)
    try:
        if file.exists() and not file.is_dir() and not file.is_file():  # /dev/zero, a pipe
            raise AudioError(f"{file} is not a regular file; give a WAV file.")
        with file.open("rb") as handle:
            data = handle.read(MAX_WAV_BYTES + 1)
        if len(data) > MAX_WAV_BYTES:
            raise AudioError(
                f"{file} is larger than {MAX_WAV_BYTES // 2**20} MB; cut it to the part you want heard "
                "(e.g. `sox INPUT out.wav trim 0 60`)."
            )
    except FileNotFoundError as error:
        raise AudioError(f"{file} does not exist. Check the path.") from error
    except IsADirectoryError as error:
        raise AudioError(f"{file} is a folder, not a WAV file.") from error
    except OSError as error:
        raise AudioError(f"{file} cannot be read: {error.strerror or error}.") from error
    return parse_wav(data, str(file))


def parse_wav(data: bytes, name: str = "the audio") -> tuple[np.ndarray, WavInfo]:
    """Parse WAV bytes into mono float32 samples; raises AudioError with the reason."""
    if not data:
        raise AudioError(f"{name} is empty (0 bytes). Record or export the audio again as a WAV file.")
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RIFX") or data[8:12] != b"WAVE":
        raise AudioError(
            f"{name} is not a WAV file (no RIFF/WAVE header). "
            "Convert it first, e.g. `sox INPUT -r 16000 -c 1 -b 16 out.wav`."
        )
    if data[:4] == b"RIFX":
        raise AudioError(f"{name} is a big-endian (RIFX) WAV, which is not supported. Convert it with sox.")
    fmt: tuple[int, int, int, int] | None = None
    position = 12
    while position + 8 <= len(data):
        chunk_id = data[position : position + 4]
        (size,) = struct.unpack_from("<I", data, position + 4)
        body_start = position + 8
        if chunk_id == b"fmt ":
            if body_start + size > len(data):
                raise AudioError(f"{name} is truncated or damaged: its format chunk is cut off.")
            fmt = _parse_format(data[body_start : body_start + size], name)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioError(f"{name} has its audio data before the format chunk; the file is damaged.")
            available = len(data) - body_start
            if size in _STREAMING_SIZES:
                size = available
            elif size > available:
                raise AudioError(
                    f"{name} is truncated: the header promises {size} bytes of audio but only "
                    f"{available} are there. The recording was cut off; record or copy it again."
                )
            return _decode(data[body_start : body_start + size], fmt, name)
        position = body_start + size + (size & 1)  # chunks are padded to even sizes
    if fmt is None:
        raise AudioError(f"{name} is truncated or damaged: it has no format chunk.")
    raise AudioError(f"{name} is truncated or damaged: it has no audio data chunk.")


def _parse_format(body: bytes, name: str) -> tuple[int, int, int, int]:
    if len(body) < 16:
        raise AudioError(f"{name} has a damaged format chunk.")
    tag, channels, rate, _byte_rate, _align, bits = struct.unpack_from("<HHIIHH", body)
    if tag == _EXTENSIBLE and len(body) >= 26:
        (tag,) = struct.unpack_from("<H", body, 24)  # the sub-format GUID starts with the real tag
    if tag not in (_PCM, _FLOAT):
        raise AudioError(
            f"{name} uses a compressed WAV encoding (format {tag:#x}); only PCM and float are supported. "
            "Convert it, e.g. `sox INPUT -b 16 out.wav`."
        )
    if channels < 1 or rate < 1:
        raise AudioError(f"{name} declares {channels} channels at {rate} Hz, which is impossible.")
    if not MIN_RATE <= rate <= MAX_RATE or channels > MAX_CHANNELS:
        raise AudioError(
            f"{name} declares {channels} channels at {rate} Hz; recordings of 1 to {MAX_CHANNELS} "
            f"channels at {MIN_RATE} to {MAX_RATE} Hz are supported."
        )
    if (tag == _PCM and bits not in (8, 16, 24, 32)) or (tag == _FLOAT and bits not in (32, 64)):
        raise AudioError(f"{name} uses {bits}-bit samples, which are not supported (8/16/24/32-bit PCM).")
    return tag, channels, rate, bits


def _decode(raw: bytes, fmt: tuple[int, int, int, int], name: str) -> tuple[np.ndarray, WavInfo]:
    tag, channels, rate, bits = fmt
    width = bits // 8
    usable = len(raw) - len(raw) % (width * channels)
    raw = raw[:usable]
    if tag == _FLOAT:
        samples = np.frombuffer(raw, dtype="<f4" if bits == 32 else "<f8").astype(np.float32)
    elif bits == 8:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif bits == 16:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif bits == 24:
        bytes3 = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = bytes3[:, 0] | (bytes3[:, 1] << 8) | (bytes3[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        samples = value.astype(np.float32) / float(1 << 23)
    else:
        samples = (np.frombuffer(raw, dtype="<i4").astype(np.float64) / float(1 << 31)).astype(np.float32)
    frames = len(samples) // channels
    if channels > 1:
        samples = samples[: frames * channels].reshape(frames, channels).mean(axis=1)
    info = WavInfo(rate=rate, channels=channels, bits=bits, is_float=tag == _FLOAT, frames=frames)
    return np.ascontiguousarray(samples, dtype=np.float32), info


def resample(samples: np.ndarray, source_rate: int, target_rate: int = TARGET_RATE) -> np.ndarray:
    """Resample float samples; low-pass first when going down so speech does not alias."""
    if source_rate == target_rate or len(samples) == 0:
        return samples.astype(np.float32, copy=False)
    if target_rate < source_rate:
        samples = _low_pass(samples, cutoff=0.5 * target_rate / source_rate)
    count = int(round(len(samples) * target_rate / source_rate))
    positions = np.arange(count, dtype=np.float64) * (source_rate / target_rate)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def _low_pass(samples: np.ndarray, cutoff: float, taps: int = 63) -> np.ndarray:
    """Windowed-sinc FIR; ``cutoff`` is a fraction of the source sample rate."""
    n = np.arange(taps) - (taps - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(taps)
    kernel /= kernel.sum()
    return np.convolve(samples, kernel, mode="same").astype(np.float32)


def to_pcm16(samples: np.ndarray) -> bytes:
    """Float -1..1 to s16le bytes, clipping instead of wrapping around."""
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def pcm16_to_float(pcm: bytes) -> np.ndarray:
    """s16le bytes to float32 in -1..1."""
    usable = len(pcm) - len(pcm) % 2
    return np.frombuffer(pcm[:usable], dtype="<i2").astype(np.float32) / 32768.0


def convert_pcm(pcm: bytes, rate: int, channels: int = 1) -> bytes:
    """Interleaved s16le at any rate/channels to 16 kHz mono s16le."""
    samples = pcm16_to_float(pcm)
    if channels > 1:
        frames = len(samples) // channels
        samples = samples[: frames * channels].reshape(frames, channels).mean(axis=1)
    return to_pcm16(resample(samples, rate, TARGET_RATE))


def write_wav(path: str | Path, pcm: bytes, rate: int = TARGET_RATE) -> None:
    """Write mono s16le PCM as a WAV file."""
    import wave

    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(rate)
        output.writeframes(pcm)


def rms_level(pcm: bytes) -> float:
    """Root-mean-square level of s16le audio, 0..1."""
    samples = pcm16_to_float(pcm)
    if len(samples) == 0:
        return 0.0
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
