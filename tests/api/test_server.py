"""The local socket API against a small stand-in assistant (tests/api/helpers.py)."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.api.client import ApiClient, ApiUnavailable, ask_remote
from assistant.api.protocol import ApiError
from assistant.api.server import ApiServer
from assistant.config import Home
from assistant.events import AudioChunk
from assistant.memory.lists import ListRepository
from assistant.memory.store import Store
from tests.api.helpers import StandInAssistant


def _raw(path: Path) -> tuple[socket.socket, Any]:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(10)
    connection.connect(str(path))
    return connection, connection.makefile("rb")


def _exchange(connection: socket.socket, reader: Any, line: bytes) -> dict[str, Any]:
    connection.sendall(line)
    return json.loads(reader.readline())


def test_the_socket_is_for_the_user_only(server: ApiServer) -> None:
    assert stat.S_IMODE(server.path.stat().st_mode) == 0o600
    assert stat.S_ISSOCK(server.path.stat().st_mode)
    assert stat.S_IMODE(server.path.parent.stat().st_mode) & 0o077 == 0


def test_a_socket_folder_others_can_open_is_refused_and_left_as_it_was(
    short_home: Home, stand_in: StandInAssistant
) -> None:
    os.chmod(short_home.data_dir, 0o755)
    with pytest.raises(ApiError, match="chmod 700"):
        ApiServer(stand_in, short_home.socket_path).start()
    assert stat.S_IMODE(short_home.data_dir.stat().st_mode) == 0o755
    assert not short_home.socket_path.exists()


def test_a_missing_socket_folder_is_created_private_and_removed_at_stop(
    short_home: Home, stand_in: StandInAssistant
) -> None:
    path = short_home.data_dir / "run" / "api.sock"
    with ApiServer(stand_in, path):
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not path.parent.exists()


def test_ask_returns_the_turn_and_acts_on_the_real_store(
    server: ApiServer, stand_in: StandInAssistant
) -> None:
    with ApiClient(server.path) as client:
        turn = client.ask("add milk to my shopping list", session="script")
    assert turn["intent"] == "list.add"
    assert turn["reply"] == "Added milk to your shopping list."
    assert turn["slots"] == {"item": "milk", "list_name": "shopping"}
    assert [item.text for item in ListRepository(stand_in.store).items("shopping")] == ["milk"]


def test_malformed_requests_get_an_error_and_the_connection_stays_usable(server: ApiServer) -> None:
    connection, reader = _raw(server.path)
    try:
        bad_json = _exchange(connection, reader, b"{not json\n")
        assert bad_json["ok"] is False and "not valid JSON" in bad_json["error"]
        assert "JSON object" in _exchange(connection, reader, b"[1, 2]\n")["error"]
        assert "not UTF-8" in _exchange(connection, reader, b"\xff\xfe\n")["error"]
        unknown = _exchange(connection, reader, b'{"op": "dance", "id": 7}\n')
        assert unknown == {
            "ok": False,
            "id": 7,
            "error": "Unknown op 'dance'; use one of: ask, say, status, events, ping, end_session.",
        }
        assert "needs a non-empty" in _exchange(connection, reader, b'{"op": "ask"}\n')["error"]
        assert (
            "must be a string"
            in _exchange(connection, reader, b'{"op": "ask", "text": "hi", "session": 3}\n')["error"]
        )
        failed = _exchange(connection, reader, b'{"op": "ask", "text": "explode"}\n')
        assert failed["ok"] is False and "the stand-in exploded" in failed["error"]
        good = _exchange(connection, reader, b'{"op": "ask", "text": "what is 12 times 7"}\n')
        assert good["ok"] is True and good["turn"]["reply"] == "12 times 7 is 84."
    finally:
        connection.close()


def test_two_clients_at_once(server: ApiServer) -> None:
    answers: dict[str, list[str]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def client(name: str, text: str) -> None:
        try:
            with ApiClient(server.path, timeout=10) as connection:
                for _ in range(10):
                    answers[name].append(connection.ask(text)["reply"])
        except BaseException as error:  # reported by the main thread below
            errors.append(error)

    threads = [
        threading.Thread(target=client, args=("a", "what is 2 plus 2")),
        threading.Thread(target=client, args=("b", "what is 3 times 3")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert answers == {"a": ["2 plus 2 is 4."] * 10, "b": ["3 times 3 is 9."] * 10}


def test_events_are_streamed_to_subscribers(server: ApiServer, stand_in: StandInAssistant) -> None:
    with ApiClient(server.path, timeout=10) as listener:
        events = listener.events()
        stand_in.bus.publish(AudioChunk(audio=b"\x00\x00"))  # never sent: too big and too many
        with ApiClient(server.path) as asker:
            asker.ask("what time is it")
        first, second = next(events), next(events)
    assert first["type"] == "intent" and first["data"]["intent"] == "time.now"
    assert second["type"] == "reply" and second["data"]["text"].startswith("It's ")


def test_say_speaks_and_is_seen_as_an_event(server: ApiServer, stand_in: StandInAssistant) -> None:
    with ApiClient(server.path) as client:
        client.say("Dinner is ready.")
    assert stand_in.spoken == ["Dinner is ready."]


def test_status(server: ApiServer) -> None:
    with ApiClient(server.path) as client:
        status = client.status()
        assert client.request({"op": "ping"})["pong"] is True
    assert status["pid"] == os.getpid()
    assert status["voice"] == "off"
    assert status["socket"] == str(server.path)


def test_a_second_server_on_the_same_socket_is_refused(server: ApiServer, stand_in: StandInAssistant) -> None:
    with pytest.raises(ApiError, match="already serving"):
        ApiServer(stand_in, server.path).start()


def test_a_stale_socket_file_is_replaced(short_home: Home, stand_in: StandInAssistant) -> None:
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(short_home.socket_path))
    stale.close()  # the file stays, nobody listens: what a crash leaves behind
    with ApiServer(stand_in, short_home.socket_path) as server, ApiClient(server.path) as client:
        assert client.request({"op": "ping"})["ok"] is True


def test_stop_removes_the_socket(short_home: Home, stand_in: StandInAssistant) -> None:
    server = ApiServer(stand_in, short_home.socket_path)
    server.start()
    server.stop()
    assert not short_home.socket_path.exists()


def test_a_session_keeps_going_until_it_is_ended(server: ApiServer, stand_in: StandInAssistant) -> None:
    with ApiClient(server.path) as client:
        client.ask("what is 2 plus 2", session="chat-1")
        client.ask("what is 3 plus 3", session="chat-1")
        assert stand_in.sessions["chat-1"] == ["what is 2 plus 2", "what is 3 plus 3"]
        client.end_session("chat-1")
        client.end_session("never-started")  # nothing to forget: still fine
    assert "chat-1" not in stand_in.sessions


def test_end_session_uses_the_assistants_own_method_when_it_has_one(short_home: Home) -> None:
    class EndingStandIn(StandInAssistant):
        def __init__(self, store: Store) -> None:
            super().__init__(store)
            self.ended: list[str] = []

        def end_session(self, session_id: str) -> None:
            self.ended.append(session_id)

    store = Store(short_home.database_file)
    try:
        service = EndingStandIn(store)
        with ApiServer(service, short_home.socket_path) as server, ApiClient(server.path) as client:
            client.end_session("ask-1")
            without_session = client.request({"op": "end_session"})
    finally:
        store.close()
    assert service.ended == ["ask-1"]
    assert without_session["ok"] is False and 'needs a "session"' in without_session["error"]


def test_ask_remote(server: ApiServer, short_home: Home) -> None:
    assert ask_remote(short_home, "what is 5 miles in km")["reply"] == "5 miles is 8.047 kilometers."


def test_ask_remote_without_a_server_says_how_to_start_one(short_home: Home) -> None:
    with pytest.raises(ApiUnavailable, match="assistant serve"):
        ask_remote(short_home, "hello")
