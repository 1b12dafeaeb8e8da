"""The scaled runs (tests/support/scaled.py, `make run-scaled`) start the authenticated launchers.

Every Rasa replica and action server must be `assistant.rasa_server` / `assistant.actions.server`
(loopback, shared secret, Rasa token from the environment): never `rasa run --auth-token …
--cors "*"` or `python -m rasa_sdk`, which listen for anyone and show the token in `ps`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from deploy.local import Layout, replica_environment, scaled_procfile
from tests.support.scaled import ScaledStack


class Recorded:
    pid = 0


def test_the_scaled_test_stack_spawns_the_authenticated_launchers(monkeypatch: pytest.MonkeyPatch) -> None:
    scaled = ScaledStack(database_url="postgresql://postgres@127.0.0.1:5432/x", redis_url="redis://127.0.0.1:6379/0")
    spawned: dict[str, list[str]] = {}

    def spawn(name: str, command: list[str]) -> Any:
        spawned[name] = command
        return Recorded()

    monkeypatch.setattr(scaled, "_spawn", spawn)
    try:
        scaled._spawn_rasa(0)
        scaled._spawn_actions(1)
    finally:
        shutil.rmtree(scaled.data_dir, ignore_errors=True)
    rasa, actions = " ".join(spawned["rasa1"]), " ".join(spawned["actions2"])
    assert "-m assistant.rasa_server" in rasa and f"--port {scaled.rasa_ports[0]}" in rasa
    assert "-m assistant.actions.server" in actions and f"--port {scaled.action_ports[1]}" in actions
    for command in (rasa, actions):
        assert scaled.token not in command and scaled.action_token not in command
        assert "--auth-token" not in command and "--cors" not in command and "rasa_sdk" not in command
        assert "0.0.0.0" not in command
    env = scaled.env
    assert env["ACTION_SERVER_TOKEN"] == scaled.action_token and env["RASA_TOKEN"] == scaled.token
    assert "*" not in env["CORS_ORIGINS"]


def test_make_run_scaled_uses_the_launchers_with_secrets_on_loopback(tmp_path: Path) -> None:
    text = scaled_procfile(Layout.with_replicas(2), tmp_path / "haproxy.cfg")
    assert text.count("-m assistant.rasa_server") == 2 and text.count("-m assistant.actions.server") == 2
    assert "--auth-token" not in text and "rasa_sdk" not in text
    dotenv = tmp_path / ".env"
    dotenv.write_text("# generated\nRASA_TOKEN=from-dotenv\nACTION_SERVER_TOKEN='secret-a'\n")
    env = replica_environment({"RASA_TOKEN": "", "RASA_HOST": "0.0.0.0", "PATH": "/bin"}, dotenv)
    assert env["RASA_TOKEN"] == "from-dotenv" and env["ACTION_SERVER_TOKEN"] == "secret-a"
    assert env["RASA_HOST"] == env["ACTION_SERVER_HOST"] == "127.0.0.1"  # only the balancer is exposed
    assert replica_environment({"RASA_TOKEN": "env", "ACTION_SERVER_TOKEN": "b"}, dotenv)["RASA_TOKEN"] == "env"
    with pytest.raises(SystemExit, match="ACTION_SERVER_TOKEN"):
        replica_environment({"RASA_TOKEN": "x"}, tmp_path / "missing.env")
