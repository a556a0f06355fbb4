"""The local API server: JSON lines on a Unix socket only the user can open.

The socket lives only in a folder the user owns and no one else can open: a folder
that does not exist yet is created 0700 (and removed again at stop, when empty); an
existing folder that others can open, or that is someone else's, is refused with a
message, never changed. The socket itself is 0600 besides. Each client gets a
thread; event subscribers get a bounded queue so a slow reader never stalls
the voice loop (events beyond the bound are dropped for that client).
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.api.protocol import (
    MAX_LINE_BYTES,
    OPS,
    ApiError,
    AssistantService,
    decode,
    encode,
    session_field,
    text_field,
)
from assistant.events import AudioChunk, Event
from assistant.privacy import shared_folder_problem

log = logging.getLogger(__name__)

EVENT_QUEUE_SIZE = 1000
ACCEPT_POLL_SECONDS = 0.5


class ApiServer:
    """Serve ``service`` on the Unix socket at ``path`` until ``stop()``."""

    def __init__(
        self,
        service: AssistantService,
        path: Path | str,
        *,
        status: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.service = service
        self.path = Path(path)
        self.status_provider = status
        """Extra fields for ``status`` (plug-ins, timers, audio state)."""
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._clients: set[socket.socket] = set()
        self._clients_lock = threading.Lock()
        # One conversation state is shared by every client and the voice loop,
        # so turns run one at a time.
        self._turn_lock = threading.Lock()
        self._started_at = 0.0
        self._subscribers = 0
        self._created_folder = False

    # --- lifecycle -----------------------------------------------------

    def start(self) -> None:
        """Bind the socket (0600, in a user-only folder) and accept clients on a thread."""
        self._created_folder = _private_folder(self.path.parent)
        try:
            _remove_stale_socket(self.path)
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                # No umask juggling (it is process-wide): the private folder already keeps others out.
                server.bind(str(self.path))
                os.chmod(self.path, 0o600)
            except OSError as error:
                server.close()
                raise ApiError(f"Cannot listen on {self.path}: {error}.") from error
        except ApiError:
            self._remove_created_folder()
            raise
        server.listen(16)
        server.settimeout(ACCEPT_POLL_SECONDS)
        self._socket = server
        self._started_at = time.time()
        self._stopping.clear()
        self._thread = threading.Thread(target=self._accept_loop, name="api-accept", daemon=True)
        self._thread.start()
        log.info("Local API listening on %s", self.path)

    def stop(self) -> None:
        """Stop accepting, close every client, remove the socket file."""
        self._stopping.set()
        if self._socket is not None:
            _wake_accept(self.path)
        if self._thread is not None:
            self._thread.join(ACCEPT_POLL_SECONDS * 4)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        with self._clients_lock:
            clients = list(self._clients)
        for client in clients:
            _close_quietly(client)
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass  # already gone: nothing to clean
        self._remove_created_folder()

    def _remove_created_folder(self) -> None:
        """The folder start() made for the socket goes again, when nothing else was put there."""
        if self._created_folder:
            try:
                self.path.parent.rmdir()
            except OSError:
                pass  # not empty or already gone: leave it
            self._created_folder = False

    def __enter__(self) -> ApiServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        assert self._socket is not None  # set by start() before the thread begins
        while not self._stopping.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stopping.is_set():
                    return
                log.exception("Accepting an API client failed")
                continue
            connection.settimeout(None)
            with self._clients_lock:
                self._clients.add(connection)
            threading.Thread(
                target=self._serve_client, args=(connection,), name="api-client", daemon=True
            ).start()

    # --- one client ----------------------------------------------------

    def _serve_client(self, connection: socket.socket) -> None:
        client = _Client(connection)
        try:
            reader = connection.makefile("rb")
            while not self._stopping.is_set():
                line = reader.readline(MAX_LINE_BYTES + 1)
                if not line:
                    break
                if len(line) > MAX_LINE_BYTES:
                    client.send({"ok": False, "error": f"The request is longer than {MAX_LINE_BYTES} bytes."})
                    break  # the rest of that line cannot be resynchronised
                if not line.strip():
                    continue
                self._handle_line(line, client)
        except OSError as error:
            log.debug("API client went away: %s", error)
        finally:
            client.close()
            with self._clients_lock:
                self._clients.discard(connection)

    def _handle_line(self, line: bytes, client: _Client) -> None:
        request_id: Any = None
        try:
            message = decode(line)
            request_id = message.get("id")
            response = self._dispatch(message, client)
        except ApiError as error:
            response = {"ok": False, "error": str(error)}
        except Exception as error:  # the assistant failed this request; the server goes on
            log.exception("API request failed")
            response = {"ok": False, "error": f"The assistant failed: {type(error).__name__}: {error}"}
        if request_id is not None:
            response["id"] = request_id
        client.send(response)

    def _dispatch(self, message: dict[str, Any], client: _Client) -> dict[str, Any]:
        op = message.get("op")
        if op == "ask":
            text = text_field(message)
            session = session_field(message)
            with self._turn_lock:
                turn = self.service.handle_text(text, session)
            return {"ok": True, "turn": turn.to_json()}
        if op == "say":
            self.service.speak(text_field(message))
            return {"ok": True}
        if op == "status":
            return {"ok": True, "status": self.status()}
        if op == "events":
            if client.unsubscribe is None:
                client.unsubscribe = self.service.bus.subscribe(client.queue_event)
                client.start_writer()
                self._subscribers += 1
            return {"ok": True, "subscribed": True}
        if op == "ping":
            return {"ok": True, "pong": True}
        if op == "end_session":
            session = session_field(message)
            if session is None:
                raise ApiError('"end_session" needs a "session" string.')
            self._end_session(session)
            return {"ok": True}
        raise ApiError(f"Unknown op {op!r}; use one of: {', '.join(OPS)}.")

    def _end_session(self, session_id: str) -> None:
        """Drop a client's conversation so one-shot sessions do not pile up in a long run."""
        with self._turn_lock:  # not during an API turn, which may be that session's
            self.service.end_session(session_id)

    def status(self) -> dict[str, Any]:
        with self._clients_lock:
            clients = len(self._clients)
        status: dict[str, Any] = {
            "pid": os.getpid(),
            "socket": str(self.path),
            "clients": clients,
            "uptime_seconds": round(time.time() - self._started_at, 1),
        }
        if self.status_provider is not None:
            status.update(self.status_provider())
        return status


class _Client:
    """One connection: serialised writes, and an event queue once subscribed."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self._write_lock = threading.Lock()
        self.unsubscribe: Callable[[], None] | None = None
        self.events: queue.Queue[Event | None] = queue.Queue(EVENT_QUEUE_SIZE)
        self.dropped = 0
        self._closed = False

    def send(self, message: dict[str, Any]) -> None:
        with self._write_lock:
            self.connection.sendall(encode(message))

    def queue_event(self, event: Event) -> None:
        """Called in the publisher's thread: never block it."""
        if isinstance(event, AudioChunk):
            return
        try:
            self.events.put_nowait(event)
        except queue.Full:
            self.dropped += 1

    def start_writer(self) -> None:
        threading.Thread(target=self._write_events, name="api-events", daemon=True).start()

    def _write_events(self) -> None:
        while True:
            event = self.events.get()
            if event is None:
                return
            try:
                self.send(event.to_dict())
            except OSError:
                return  # the client left; close() unsubscribes
            except (TypeError, ValueError):
                log.exception("Event %s could not be sent as JSON", event.type)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.unsubscribe is not None:
            self.unsubscribe()
            try:
                self.events.put_nowait(None)
            except queue.Full:
                pass  # the writer will stop on its next failed send instead
        _close_quietly(self.connection)


def _private_folder(folder: Path) -> bool:
    """Make sure the socket's folder is the user's alone; True when it was created now.

    An existing folder is only checked, never changed: one others can open (``/tmp``, a shared
    project folder) or that belongs to someone else raises ApiError saying what to do.
    """
    try:
        folder.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        created = False
    except OSError as error:
        raise ApiError(f"Cannot create the socket's folder {folder}: {error.strerror}.") from error
    else:
        created = True
    problem = shared_folder_problem(folder)
    if problem is not None:
        raise ApiError(problem)
    return created


def _remove_stale_socket(path: Path) -> None:
    """A socket file left by a crash is removed; a live one means another instance runs."""
    if not path.exists() and not path.is_symlink():
        return
    if not stat.S_ISSOCK(path.lstat().st_mode):
        raise ApiError(f"{path} exists and is not a socket; move it away and start again.")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(str(path))
    except OSError:
        path.unlink()
        return
    finally:
        probe.close()
    raise ApiError(f"Another assistant is already serving on {path}. Stop it first.")


def _wake_accept(path: Path) -> None:
    """Connect once so a waiting accept() returns now instead of at its next poll."""
    waker = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    waker.settimeout(0.5)
    try:
        waker.connect(str(path))
    except OSError:
        pass  # nothing listening any more: the accept loop is already over
    finally:
        waker.close()


def _close_quietly(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already disconnected
    connection.close()
