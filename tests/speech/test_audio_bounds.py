"""Audio input that would exhaust memory is refused with a message (issue 18)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from assistant.audio.convert import read_wav_samples
from assistant.audio.errors import AudioError


def header(rate: int, channels: int = 1, frames: int = 16) -> bytes:
    data = b"\0\0" * frames * channels
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + len(data))
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", len(data))
        + data
    )


@pytest.mark.parametrize(("rate", "channels"), [(1, 1), (500_000, 1), (16_000, 5000)])
def test_an_impossible_header_is_refused_before_any_allocation(
    tmp_path: Path, rate: int, channels: int
) -> None:
    path = tmp_path / "odd.wav"
    path.write_bytes(header(rate, channels))
    with pytest.raises(AudioError, match="supported"):
        read_wav_samples(path)


def test_a_device_is_not_read_until_memory_runs_out() -> None:
    with pytest.raises(AudioError, match="not a regular file"):
        read_wav_samples("/dev/zero")


def test_a_normal_header_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.wav"
    path.write_bytes(header(16_000))
    samples, info = read_wav_samples(path)
    assert info.rate == 16_000 and len(samples) == 16
