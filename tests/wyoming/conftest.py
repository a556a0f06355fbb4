"""Real Wyoming peers for the tests of this folder, started once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wyoming import peers


@pytest.fixture(scope="session")
def peer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("peers")


@pytest.fixture(scope="session")
def piper_peer(peer_dir: Path) -> Iterator[peers.Peer]:
    peer = peers.piper(peer_dir).start()
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def whisper_peer(peer_dir: Path) -> Iterator[peers.Peer]:
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
    from assistant.wyoming.remote_asr import WyomingRecognizer

    peer = peers.whisper(peer_dir).start()
    # its first transcription loads the model (many seconds on a busy machine): not in a test
    WyomingRecognizer(peer.uri, PocketsphinxRecognizer, timeout=120).transcribe(bytes(16000))
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def wake_peer(peer_dir: Path) -> Iterator[peers.Peer]:
    peer = peers.openwakeword(peer_dir).start()
    yield peer
    peer.stop()
