"""Peers that misbehave on purpose: a real TCP listener that is silent, talks garbage, announces a
huge payload, or answers ``describe`` (with the wyoming library) and then goes quiet."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

from wyoming.event import write_event
from wyoming.info import AsrModel, AsrProgram, Attribution, Info, TtsProgram, TtsVoice

from tests.wyoming.peers import free_port

SILENT = "silent"
GARBAGE = "garbage"
HUGE_HEADER = "huge-header"
DESCRIBE_THEN_SILENT = "describe-then-silent"


def fake_info() -> Info:
    who = Attribution(name="test", url="")
    return Info(
        asr=[
            AsrProgram(
                name="mute",
                attribution=who,
                installed=True,
                description=None,
                version=None,
                models=[
                    AsrModel(
                        name="m",
                        attribution=who,
                        installed=True,
                        description=None,
                        version=None,
                        languages=["en"],
                    )
                ],
            )
        ],
        tts=[
            TtsProgram(
                name="mute",
                attribution=who,
                installed=True,
                description=None,
                version=None,
                voices=[
                    TtsVoice(
                        name="v",
                        attribution=who,
                        installed=True,
                        description=None,
                        version=None,
                        languages=["en"],
                    )
                ],
            )
        ],
    )


@dataclass
class FaultyPeer:
    mode: str
    port: int = field(default_factory=free_port)
    connections: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultyPeer:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            stream = connection.makefile("rwb")
            if self.mode == GARBAGE:
                stream.write(b"\x00\xff this is not json at all \x13\n" * 3)
                stream.flush()
            elif self.mode == HUGE_HEADER:
                stream.write(b'{"type": "info", "payload_length": 1000000000000}\n')
                stream.flush()
            elif self.mode == DESCRIBE_THEN_SILENT:
                stream.readline()
                write_event(fake_info().event(), stream)
            # then keep the connection open and say nothing more, reading whatever comes
            connection.settimeout(0.2)
            while not self._stop.is_set():
                try:
                    if not connection.recv(65536):
                        return
                except TimeoutError:
                    continue
                except OSError:
                    return
