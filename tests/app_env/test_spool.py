"""The case spool: nothing lost when the database refuses, hangs or rejects a request."""

from __future__ import annotations

import asyncio
import json
import socket
import stat
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.cases import rejections
from assistant.cases import spool as spool_module
from assistant.cases.spool import CaseSpool
from assistant.cases.store import CaseFilters, list_cases
from tests.app_env.test_case_store import request_for


def stop_retry_loop(spool: CaseSpool) -> None:
    if spool._task is not None:
        spool._task.cancel()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def hanging_database() -> Iterator[str]:
    """A PostgreSQL URL whose server accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"postgresql://nobody@127.0.0.1:{server.getsockname()[1]}/none"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


async def test_a_hanging_database_keeps_the_request(
    database: str, tmp_path: Path, hanging_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.db.engine import get_engine

    monkeypatch.setattr(spool_module, "STORE_TIMEOUT", 0.5)
    spool = CaseSpool(tmp_path / "spool" / "cases.jsonl", engine=get_engine(hanging_database))
    await spool.add(request_for("rest:hang"))
    stop_retry_loop(spool)  # the test flushes by hand
    assert await spool.flush() == 0  # timed out: kept, not lost
    assert len(spool.pending()) == 1
    assert mode(spool.path) == 0o600 and mode(spool.path.parent) == 0o700
    spool.engine = None
    monkeypatch.setattr(spool_module, "STORE_TIMEOUT", 60)  # a loaded test machine is slow
    assert await spool.flush() == 1 and spool.pending() == []
    assert (await list_cases(CaseFilters()))[1] == 1
    if spool._task:
        spool._task.cancel()


async def test_a_poison_entry_is_set_aside_not_retried(database: str, tmp_path: Path) -> None:
    spool = CaseSpool(tmp_path / "spool" / "cases.jsonl")
    poison = replace(request_for("rest:poison"), language=None)  # type: ignore[arg-type]  # NOT NULL column
    await spool.add(poison)
    await spool.add(request_for("rest:fine"))
    stop_retry_loop(spool)
    spool.path.open("a").write("not json\n")
    stored = await spool.flush()
    assert stored == 1 and spool.pending() == []
    count, rejected = await rejections.pending()  # recorded in the database, for every console
    reasons = sorted(entry.reason for entry in rejected)
    assert count == 2 and "JSONDecodeError" in reasons, reasons
    assert spool.rejected() == [] and not spool.rejected_path.exists()
    assert await spool.flush() == 0  # nothing retried
    assert (await rejections.pending())[0] == 2
    # erasure removes what is kept about the conversation
    assert await rejections.forget("rest:poison") == 1
    assert all("rest:poison" not in json.dumps(e.request) for e in (await rejections.pending())[1])
    if spool._task:
        spool._task.cancel()


async def test_set_aside_entries_wait_in_a_file_while_the_database_cannot_record_them(
    database: str, tmp_path: Path, hanging_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.db.engine import get_engine

    spool = CaseSpool(tmp_path / "spool" / "cases.jsonl")
    await spool.add(request_for("rest:unreadable"))
    stop_retry_loop(spool)
    spool.path.write_text("not json\n")
    monkeypatch.setattr(spool_module, "STORE_TIMEOUT", 0.5)
    spool.engine = get_engine(hanging_database)
    await spool.flush()
    assert [e["reason"] for e in spool.rejected()] == ["JSONDecodeError"] and mode(spool.rejected_path) == 0o600
    assert spool.pending() == []
    spool.engine = None
    monkeypatch.setattr(spool_module, "STORE_TIMEOUT", 60)
    await spool.flush()  # the next retry records it
    assert spool.rejected() == [] and (await rejections.pending())[0] == 1


async def test_the_retry_loop_runs_without_a_new_submission(database: str, tmp_path: Path) -> None:
    spool = CaseSpool(tmp_path / "spool" / "cases.jsonl", retry_seconds=0.2)
    spool.path.parent.mkdir(parents=True)
    spool.path.write_text(json.dumps(request_for("rest:left-over").as_json()) + "\n")  # from before a restart
    spool.ensure_retrying()  # what the action server does at start-up
    for _ in range(100):
        if not spool.path.exists():
            break
        await asyncio.sleep(0.1)
    assert spool.pending() == [] and (await list_cases(CaseFilters()))[1] == 1
    assert spool._task is not None
    spool._task.cancel()


async def test_a_request_kept_from_before_channel_ids_is_stored_under_its_current_id(
    database: str, tmp_path: Path
) -> None:
    spool = CaseSpool(tmp_path / "spool" / "cases.jsonl")
    spool.path.parent.mkdir(parents=True)
    old = replace(request_for("212600000031"), channel="whatsapp")  # a bare WhatsApp number
    spool.path.write_text(json.dumps(old.as_json()) + "\n")
    assert await spool.flush() == 1
    cases, _ = await list_cases(CaseFilters())
    assert [c.conversation_id for c in cases] == ["whatsapp:212600000031"]
