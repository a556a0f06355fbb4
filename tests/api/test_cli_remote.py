"""``assistant ask`` and ``chat`` in real processes, answered by a running assistant.

The running assistant here is the stand-in (tests/api/helpers.py) serving this home's
real socket in the test process, so each test sees exactly what reached it.
tests/api/test_serve.py does the same against a real ``assistant serve``.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys

from assistant.api.server import ApiServer
from assistant.config import Home
from assistant.memory.store import Store
from assistant.turn import TurnResult
from tests.api.helpers import StandInAssistant
from tests.commands import HANG_GUARD_SECONDS, HEAVY_MODULES, run_assistant


def test_ask_is_answered_by_the_running_assistant(server: ApiServer, stand_in: StandInAssistant) -> None:
    done = run_assistant("ask", "what is 6 times 7", "--home", str(server.path.parent))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "6 times 7 is 42.\n"
    ((session, text),) = stand_in.handled
    assert text == "what is 6 times 7"
    assert session.startswith("ask-")


def test_ask_ends_its_session_like_a_process_of_its_own_would(
    server: ApiServer, stand_in: StandInAssistant
) -> None:
    run_assistant("ask", "set a timer", "--home", str(server.path.parent))
    ((session, _),) = stand_in.handled
    assert session not in stand_in.sessions


def test_chat_keeps_one_session_across_lines_and_ends_it(
    server: ApiServer, stand_in: StandInAssistant
) -> None:
    done = run_assistant(
        "chat", "--home", str(server.path.parent), input="what is 2 plus 2\n\nwhat is 3 plus 3\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "2 plus 2 is 4.\n3 plus 3 is 6.\n"
    sessions = {session for session, _ in stand_in.handled}
    assert len(sessions) == 1 and next(iter(sessions)).startswith("chat-")
    assert [text for _, text in stand_in.handled] == ["what is 2 plus 2", "what is 3 plus 3"]
    assert not sessions & set(stand_in.sessions)


def test_ask_json_through_the_api_has_the_local_shape(server: ApiServer) -> None:
    done = run_assistant("ask", "--json", "what time is it", "--home", str(server.path.parent))
    assert done.returncode == 0, done.stderr
    turn = json.loads(done.stdout)
    assert set(turn) == set(TurnResult(text="x").to_json())
    assert turn["intent"] == "time.now"


def test_a_failed_request_exits_1_as_it_does_locally(server: ApiServer) -> None:
    done = run_assistant("ask", "blorp the flibbertigibbet", "--home", str(server.path.parent))
    assert done.returncode == 1
    assert done.stdout == "Sorry, I didn't understand.\n"


def test_notices_are_printed_after_the_reply(short_home: Home) -> None:
    class NoticingStandIn(StandInAssistant):
        def handle_text(self, text: str, session_id: str | None = None) -> TurnResult:
            turn = super().handle_text(text, session_id)
            turn.notices.append("Want me to set one every morning?")
            return turn

    store = Store(short_home.database_file)
    try:
        with ApiServer(NoticingStandIn(store), short_home.socket_path):
            done = run_assistant("ask", "what time is it", "--home", str(short_home.config_dir))
    finally:
        store.close()
    assert done.returncode == 0, done.stderr
    reply, notice = done.stdout.splitlines()
    assert reply.startswith("It's ")
    assert notice == "Want me to set one every morning?"


def test_asking_the_running_assistant_loads_nothing_heavy(server: ApiServer) -> None:
    probe = (
        "import sys\n"
        "from assistant.cli import main\n"
        f"code = main(['ask', 'what is 2 plus 2', '--remote', '--home', {str(server.path.parent)!r}])\n"
        f"heavy = [m for m in {HEAVY_MODULES!r} if m in sys.modules]\n"
        "print('heavy:', heavy, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "2 plus 2 is 4.\n"
    assert "heavy: []" in done.stderr


def test_remote_without_a_running_assistant_exits_3(short_home: Home) -> None:
    done = run_assistant("ask", "--remote", "what time is it", "--home", str(short_home.config_dir))
    assert done.returncode == 3
    assert "assistant serve" in done.stderr
    assert "Traceback" not in done.stderr


def test_remote_with_a_listener_that_never_answers_exits_3(short_home: Home) -> None:
    hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hung.bind(str(short_home.socket_path))
    hung.listen(1)  # a stopped or hung process: it holds the socket and never answers
    try:
        done = run_assistant("chat", "--remote", "--home", str(short_home.config_dir), input="hello\n")
    finally:
        hung.close()
    assert done.returncode == 3
    assert "did not answer" in done.stderr


def test_local_and_remote_cannot_both_be_asked_for(short_home: Home) -> None:
    done = run_assistant("ask", "--local", "--remote", "hi")
    assert done.returncode == 2
    assert "not allowed with" in done.stderr


def test_ctrl_c_in_chat_ends_quietly(server: ApiServer, stand_in: StandInAssistant) -> None:
    chat = subprocess.Popen(
        [sys.executable, "-m", "assistant", "chat", "--home", str(server.path.parent)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert chat.stdin is not None and chat.stdout is not None and chat.stderr is not None
        chat.stdin.write("what is 2 plus 2\n")
        chat.stdin.flush()
        assert chat.stdout.readline() == "2 plus 2 is 4.\n"  # it is now waiting for the next line
        chat.send_signal(signal.SIGINT)
        code = chat.wait(HANG_GUARD_SECONDS)
        errors = chat.stderr.read()
    finally:
        if chat.poll() is None:
            chat.kill()
            chat.wait()
    assert code == 130
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors
    ((session, _),) = stand_in.handled
    assert session not in stand_in.sessions  # ended on the way out
