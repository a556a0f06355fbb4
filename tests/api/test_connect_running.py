"""Finding the assistant that serves a home: a live one is used, anything else is not waited on."""

from __future__ import annotations

import socket

import pytest

from assistant.api.client import ApiUnavailable, connect_running
from assistant.api.server import ApiServer
from assistant.config import Home


def test_a_serving_assistant_is_connected_and_answers(server: ApiServer, short_home: Home) -> None:
    with connect_running(short_home) as client:
        assert client.ask("what is 2 plus 2")["reply"] == "2 plus 2 is 4."


def test_no_socket_file_means_none_is_running(short_home: Home) -> None:
    with pytest.raises(ApiUnavailable, match="assistant serve"):
        connect_running(short_home)


def test_a_socket_file_left_by_a_crash_means_none_is_running(short_home: Home) -> None:
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(short_home.socket_path))
    stale.close()  # the file stays, nobody listens
    with pytest.raises(ApiUnavailable, match="No assistant is serving"):
        connect_running(short_home)


def test_a_listener_that_never_answers_is_given_up_on(short_home: Home) -> None:
    hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hung.bind(str(short_home.socket_path))
    hung.listen(1)  # connections queue up, nobody accepts or answers: a stopped process
    try:
        with pytest.raises(ApiUnavailable, match="did not answer"):
            connect_running(short_home, probe_timeout=0.2)
    finally:
        hung.close()


def test_a_plain_file_where_the_socket_should_be_is_not_an_assistant(short_home: Home) -> None:
    short_home.socket_path.write_text("not a socket")
    with pytest.raises(ApiUnavailable):
        connect_running(short_home)
