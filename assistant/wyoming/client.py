"""A blocking connection to one Wyoming service, for the engines the voice loop calls.

The voice loop is synchronous (one thread per audio source), so the remote engines talk
over a plain socket with deadlines instead of an event loop of their own.
"""

from __future__ import annotations

import select
import socket
import time

from wyoming.event import Event, Eventable
from wyoming.info import Describe, Info

from assistant.wyoming.endpoint import Endpoint, WyomingError
from assistant.wyoming.framing import LIMITS, EventBuffer, Limits, ProtocolError, encode_event


class ServiceTimeout(WyomingError):
    """The service did not answer in time."""


class ServiceGone(WyomingError):
    """The connection failed or the service closed it."""


class ServiceConnection:
    """One TCP connection: send events, receive them with a deadline, or poll without waiting."""

    def __init__(
        self,
        endpoint: Endpoint,
        timeout: float,
        limits: Limits = LIMITS,
        connect_timeout: float | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self._buffer = EventBuffer(limits)
        wait = timeout if connect_timeout is None else connect_timeout
        try:
            self._socket = socket.create_connection((endpoint.host, endpoint.port), timeout=wait)
        except TimeoutError:
            raise ServiceTimeout(f"{endpoint} did not accept a connection within {wait:g} s.") from None
        except OSError as error:
            raise ServiceGone(f"Cannot connect to {endpoint} ({error.strerror or error}).") from None
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.closed = False

    def send(self, message: Eventable | Event) -> None:
        event = message if isinstance(message, Event) else message.event()
        try:
            self._socket.settimeout(self.timeout)
            self._socket.sendall(encode_event(event))
        except TimeoutError:
            self.close()
            raise ServiceTimeout(
                f"{self.endpoint} stopped taking data (waited {self.timeout:g} s)."
            ) from None
        except OSError as error:
            self.close()
            raise ServiceGone(
                f"The connection to {self.endpoint} broke ({error.strerror or error})."
            ) from None

    def receive(self, timeout: float | None = None) -> Event:
        """The next event; ServiceTimeout after ``timeout`` (default: the connection's) seconds."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            event = self._next_buffered()
            if event is not None:
                return event
            left = deadline - time.monotonic()
            if left <= 0:
                raise ServiceTimeout(f"{self.endpoint} did not answer within {self.timeout:g} s.")
            self._read(left)

    def poll(self) -> Event | None:
        """An event already sent by the service, without waiting."""
        event = self._next_buffered()
        while event is None and select.select([self._socket], [], [], 0)[0]:
            self._read(0.0)
            event = self._next_buffered()
        return event

    def _next_buffered(self) -> Event | None:
        try:
            return self._buffer.next_event()
        except ProtocolError:
            self.close()
            raise

    def _read(self, wait: float) -> None:
        if self.closed:
            raise ServiceGone(f"The connection to {self.endpoint} is closed.")
        try:
            self._socket.settimeout(max(wait, 0.001))
            data = self._socket.recv(65536)
        except TimeoutError:
            return
        except OSError as error:
            self.close()
            raise ServiceGone(
                f"The connection to {self.endpoint} broke ({error.strerror or error})."
            ) from None
        if not data:
            self.close()
            raise ServiceGone(f"{self.endpoint} closed the connection.")
        self._buffer.feed(data)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            try:
                self._socket.close()
            except OSError:
                pass


def describe(endpoint: Endpoint, timeout: float, connect_timeout: float | None = None) -> Info:
    """Ask a service what it offers (``describe`` → ``info``); raises WyomingError."""
    connection = ServiceConnection(endpoint, timeout, connect_timeout=connect_timeout)
    try:
        connection.send(Describe())
        deadline = time.monotonic() + timeout
        while True:
            event = connection.receive(max(0.0, deadline - time.monotonic()))
            if Info.is_type(event.type):
                try:
                    return Info.from_event(event)
                except (KeyError, TypeError, ValueError) as error:
                    raise ProtocolError(f"{endpoint} sent an info event we cannot read ({error}).") from None
    finally:
        connection.close()
