"""A TCP port in front of a real server (PostgreSQL) that can fail on demand, on loopback.

Modes: `forward` (a plain proxy), `hang` (connections are accepted and bytes read, but
nothing is forwarded or answered: a database that hangs; open connections hang too),
`refuse` (the port is closed, so connecting is refused, and open connections are cut).
Runs its own event loop in a thread, like tests/support/fakes.py, so it serves the
subprocesses of a `Stack`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Literal

from tests.support.stack import free_port

Mode = Literal["forward", "hang", "refuse"]


class FaultyProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.mode: Mode = "forward"
        self.accepted = 0  # connections accepted, in every mode
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> FaultyProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def stop(self) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultyProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_mode(self, mode: Mode) -> None:
        self._call(self._switch(mode))

    def _call(self, coroutine: object) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)  # type: ignore[arg-type]

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _switch(self, mode: Mode) -> None:
        self.mode = mode
        if mode == "refuse":
            await self._close()
        else:
            await self._listen()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self._writers.add(writer)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            if self.mode == "forward":
                upstream = await asyncio.open_connection(*self.target)
                self._writers.add(upstream[1])
                await asyncio.gather(self._pipe(reader, upstream[1]), self._pipe(upstream[0], writer))
            else:
                while await reader.read(65536):  # hang: read and drop, never answer
                    pass
        except (ConnectionError, OSError):
            pass
        finally:
            for stream in (writer, upstream[1] if upstream else None):
                if stream is not None:
                    self._writers.discard(stream)
                    with contextlib.suppress(Exception):
                        stream.close()

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        while data := await source.read(65536):
            if self.mode != "forward":
                continue  # the database hangs: what was sent is never answered
            sink.write(data)
            await sink.drain()
        sink.close()
