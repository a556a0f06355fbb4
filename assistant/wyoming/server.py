"""The assistant as a Wyoming server: wake word, recognizer, voice and understanding for any client.

The protocol has no authentication: anyone who can reach the port can use the assistant
(set timers, read lists). So the server listens on loopback unless told otherwise, and
``serve --wyoming`` says so when it is not.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
from concurrent.futures import Future

from assistant.wyoming.endpoint import Endpoint, WyomingError, parse_endpoint
from assistant.wyoming.framing import LIMITS, Limits
from assistant.wyoming.offer import Offer
from assistant.wyoming.server_session import ClientSession, Engines

log = logging.getLogger(__name__)


class WyomingServer:
    """Serves ``offer`` on a TCP address from a thread of its own (the rest of the assistant is
    synchronous); ``start()`` returns once it listens."""

    def __init__(self, offer: Offer, uri: str, limits: Limits = LIMITS) -> None:
        self.endpoint: Endpoint = parse_endpoint(uri, listening=True)
        self.engines = Engines(offer)
        self.limits = limits
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self.clients = 0
        """Connections open now."""

    @property
    def uri(self) -> str:
        """The address served (with the real port when 0 was asked for)."""
        return self.endpoint.uri

    def start(self) -> None:
        started: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, args=(started,), name="wyoming-server", daemon=True)
        self._thread.start()
        started.result(timeout=30)

    def _run(self, started: Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self._server = loop.run_until_complete(
                asyncio.start_server(
                    self._serve_client, self.endpoint.host, self.endpoint.port, limit=self.limits.header
                )
            )
        except OSError as error:
            started.set_exception(
                WyomingError(
                    f"Cannot serve Wyoming on {self.endpoint} ({error.strerror or error}). "
                    "Choose another port with --wyoming tcp://127.0.0.1:PORT."
                )
            )
            loop.close()
            return
        port = self._server.sockets[0].getsockname()[1]
        self.endpoint = Endpoint(self.endpoint.host, int(port))
        started.set_result(None)
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _serve_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        session = ClientSession(self.engines, reader, writer, f"wyoming-{next(self._ids)}", self.limits)
        self.clients += 1
        log.info("Wyoming client %s connected", peer)
        try:
            await session.run()
        finally:
            self.clients -= 1
            log.info("Wyoming client %s left", peer)

    def stop(self) -> None:
        loop = self._loop
        if loop is None or self._thread is None:
            return

        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
            loop.stop()

        try:
            asyncio.run_coroutine_threadsafe(shut(), loop)
        except RuntimeError:  # the loop has already stopped
            pass
        self._thread.join(10)
        self.engines.close()
