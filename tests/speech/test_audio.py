"""Reading WAV files of any shape, and the audio sources and sinks."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.audio import (
    AudioError,
    AudioUnavailable,
    MicrophoneSource,
    SpeakerSink,
    StdinRawSource,
    WavFileSink,
    WavFileSource,
    list_devices,
    read_wav,
    read_wav_samples,
)
from tests.speechgen import save


def tone(seconds: float, rate: int, frequency: float = 440.0) -> np.ndarray:
    times = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * frequency * times)).astype(np.float32)


@pytest.mark.parametrize(
    ("rate", "channels", "bits"),
    [
        (8000, 1, 16),
        (16000, 1, 16),
        (22050, 1, 8),
        (44100, 2, 16),
        (48000, 2, 16),
        (48000, 1, 24),
        (16000, 1, 32),
    ],
)
def test_any_wav_becomes_16k_mono_16bit(tmp_path: Path, rate: int, channels: int, bits: int) -> None:
    path = save(tone(1.0, rate), tmp_path / "in.wav", rate=rate, channels=channels, bits=bits)
    pcm = read_wav(path)
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768
    assert len(samples) == pytest.approx(16000, abs=2)
    # the 440 Hz tone survives: its peak frequency bin is where it should be
    spectrum = np.abs(np.fft.rfft(samples))
    assert np.argmax(spectrum) == pytest.approx(440, abs=3)
    assert 0.4 < float(np.max(np.abs(samples))) < 0.6


def test_float_wav_is_read(tmp_path: Path) -> None:
    path = tmp_path / "float.wav"
    data = tone(0.5, 16000).astype("<f4").tobytes()
    header = b"RIFF" + (36 + len(data)).to_bytes(4, "little") + b"WAVE"
    fmt = b"fmt " + (16).to_bytes(4, "little") + (3).to_bytes(2, "little") + (1).to_bytes(2, "little")
    fmt += (16000).to_bytes(4, "little") + (64000).to_bytes(4, "little") + (4).to_bytes(2, "little")
    fmt += (32).to_bytes(2, "little")
    path.write_bytes(header + fmt + b"data" + len(data).to_bytes(4, "little") + data)
    samples, info = read_wav_samples(path)
    assert info.is_float and info.frames == 8000
    assert float(np.max(samples)) == pytest.approx(0.5, abs=0.01)


def test_downsampling_removes_content_above_the_new_nyquist(tmp_path: Path) -> None:
    path = save(tone(1.0, 48000, frequency=12000), tmp_path / "high.wav", rate=48000)
    samples = np.frombuffer(read_wav(path), dtype="<i2").astype(np.float32) / 32768
    assert float(np.sqrt(np.mean(samples**2))) < 0.05  # 12 kHz cannot exist at 16 kHz; it must not alias


def test_empty_file_says_it_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioError, match="is empty"):
        read_wav(path)


def test_not_a_wav_says_how_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "song.mp3"
    path.write_bytes(b"ID3\x03\x00" + bytes(200))
    with pytest.raises(AudioError, match="not a WAV file.*sox"):
        read_wav(path)


def test_truncated_file_says_it_was_cut_off(tmp_path: Path) -> None:
    path = save(tone(1.0, 16000), tmp_path / "full.wav")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(AudioError, match="truncated"):
        read_wav(cut)


def test_header_only_file_is_truncated(tmp_path: Path) -> None:
    path = save(tone(1.0, 16000), tmp_path / "full.wav")
    cut = tmp_path / "header.wav"
    cut.write_bytes(path.read_bytes()[:30])
    with pytest.raises(AudioError, match="truncated or damaged"):
        read_wav(cut)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="does not exist"):
        read_wav(tmp_path / "nope.wav")


def test_silence_reads_as_zeros(tmp_path: Path) -> None:
    path = save(np.zeros(8000, dtype=np.float32), tmp_path / "silence.wav")
    assert read_wav(path) == bytes(16000)


def test_wav_source_chunks_have_timestamps(tmp_path: Path) -> None:
    path = save(tone(1.05, 16000), tmp_path / "tone.wav")
    chunks = list(WavFileSource(path, chunk_seconds=0.1).chunks())
    assert len(chunks) == 11
    assert [round(chunk.timestamp, 2) for chunk in chunks[:3]] == [0.0, 0.1, 0.2]
    assert sum(len(chunk.audio) for chunk in chunks) == 1.05 * 32000


def test_wav_source_fails_early_on_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "bad.wav"
    path.write_text("hello")
    with pytest.raises(AudioError):
        WavFileSource(path)


def test_stdin_source_reads_raw_pcm() -> None:
    pcm = (np.arange(16000 * 2 + 11) % 100).astype("<i2").tobytes()
    chunks = list(StdinRawSource(io.BytesIO(pcm), chunk_seconds=0.5).chunks())
    assert [chunk.timestamp for chunk in chunks] == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert b"".join(chunk.audio for chunk in chunks) == pcm


def test_wav_sink_writes_a_playable_file(tmp_path: Path) -> None:
    sink = WavFileSink(tmp_path / "out" / "reply.wav")
    assert sink.write(bytes(32000))
    sink.close()
    with wave.open(str(tmp_path / "out" / "reply.wav")) as result:
        assert (result.getframerate(), result.getnchannels(), result.getnframes()) == (16000, 1, 16000)


def test_stopped_sink_refuses_the_rest(tmp_path: Path) -> None:
    sink = WavFileSink(tmp_path / "out.wav")
    sink.stop()
    assert sink.write(bytes(32000)) is False
    sink.resume()
    assert sink.write(bytes(320)) is True


def test_missing_sound_hardware_is_reported_plainly() -> None:
    if any(device.inputs for device in list_devices()):
        pytest.skip("this machine has a microphone")
    with pytest.raises(AudioUnavailable, match="No microphone"):
        MicrophoneSource()
    with pytest.raises(AudioUnavailable, match="No speaker"):
        SpeakerSink()
