"""The assistant scaled out on loopback: replicas behind a real HAProxy (tests, `make bench-scaled`).

Like `Stack`, with free ports and its own data directory, but with `replicas` Rasa servers
and as many action servers behind HAProxy (deploy/haproxy/haproxy.cfg.in, the file
`make run-scaled` uses), PostgreSQL as tracker store and project database, and Redis
as lock store and socket.io queue. `rasa_url` and `action_url` are the balancer's, so
clients and the guidance service go through it, as in production. Every replica is
started by the launchers of the Procfile (`assistant.rasa_server`, `assistant.actions.server`):
on 127.0.0.1, with the Rasa token and the action server's shared secret from the
environment (never on a command line). Single replicas can be killed and restarted
(`kill_replica`, `start_replica`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

from deploy.local import Layout, render_haproxy
from tests.support.stack import APP_PYTHON, MODEL, RASA_PYTHON, Stack, free_port, wait_http


@dataclass
class ScaledStack(Stack):
    replicas: int = 2
    redis_url: str = ""
    rasa_ports: list[int] = field(default_factory=list)
    action_ports: list[int] = field(default_factory=list)
    stats_port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        if not (self.database_url or "").startswith("postgresql"):
            raise ValueError("ScaledStack needs a PostgreSQL database_url")
        if not self.redis_url:
            raise ValueError("ScaledStack needs a redis_url")
        self.rasa_ports = self.rasa_ports or [free_port() for _ in range(self.replicas)]
        self.action_ports = self.action_ports or [free_port() for _ in range(self.replicas)]
        self.env_overrides = {"TRACKER_DATABASE_URL": self.database_url or "", "REDIS_URL": self.redis_url,
                              # a dead replica's lock tickets expire sooner than Rasa's 60 s default
                              "TICKET_LOCK_LIFETIME": "20", **self.env_overrides}

    @property
    def layout(self) -> Layout:
        return Layout(rasa_port=self.rasa_port, actions_port=self.action_port, stats_port=self.stats_port,
                      rasa_backends=tuple(self.rasa_ports), action_backends=tuple(self.action_ports))

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[index]}"

    def _credentials_file(self) -> str:
        credentials = self.credentials or {"assistant.channels.rest.ValidatedRestInput": None,
                                           "assistant.channels.socketio.SessionSocketIOInput": {
                                               "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
                                               "session_persistence": True}}
        path = self.data_dir / "credentials.yml"
        path.write_text(json.dumps(credentials))  # JSON is YAML
        return str(path)

    def _spawn_rasa(self, index: int) -> subprocess.Popen[bytes]:
        """The Procfile's launcher: loopback, RASA_TOKEN and CORS_ORIGINS from the environment."""
        return self._spawn(
            f"rasa{index + 1}",
            [str(RASA_PYTHON), "-m", "assistant.rasa_server", "--model", str(MODEL),
             "--port", str(self.rasa_ports[index]),
             "--endpoints", str(self.endpoints), "--credentials", self._credentials_file()],
        )

    def _spawn_actions(self, index: int) -> subprocess.Popen[bytes]:
        """The Procfile's launcher: loopback, every call must carry ACTION_SERVER_TOKEN."""
        return self._spawn(f"actions{index + 1}", [str(APP_PYTHON), "-m", "assistant.actions.server",
                                                    "--port", str(self.action_ports[index])])

    def start(self) -> ScaledStack:
        if not MODEL.exists():
            raise RuntimeError("no trained model: run `make train` first")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.run_app("-m", "assistant.db", "upgrade")
        self.run_app("-m", "assistant.kb", "load")
        config = self.data_dir / "haproxy.cfg"
        config.write_text(render_haproxy(self.layout), encoding="utf-8")
        try:
            balancer = self._spawn("balancer", ["haproxy", "-W", "-db", "-f", str(config)])
            actions = [self._spawn_actions(i) for i in range(self.replicas)]
            rasas = [self._spawn_rasa(i) for i in range(self.replicas)]
            if self.start_service:
                service = self._spawn("service", [str(APP_PYTHON), "-m", "assistant.service"])
                wait_http(f"{self.service_url}/health", 90, service)
            for port, process in zip(self.action_ports, actions, strict=True):
                wait_http(f"http://127.0.0.1:{port}/health", 90, process)
            for port, process in zip(self.rasa_ports, rasas, strict=True):
                wait_http(f"http://127.0.0.1:{port}/", self.start_timeout, process)
            wait_http(f"{self.rasa_url}/", 30, balancer)
            self.wait_balanced()
        except Exception:
            for name in self.processes:
                sys.stderr.write(f"\n----- {name} log -----\n{self.log(name)[-4000:]}\n")
            self.stop()
            raise
        return self

    # ------------------------------------------------------------- failures

    def kill_replica(self, index: int) -> None:
        """SIGKILL one Rasa replica (no graceful shutdown: requests in flight are cut)."""
        process = self.processes[f"rasa{index + 1}"]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def start_replica(self, index: int, timeout: float | None = None) -> None:
        """Start a replica again and wait until it serves (HAProxy's checks put it back)."""
        process = self._spawn_rasa(index)
        wait_http(f"{self.replica_url(index)}/", timeout or self.start_timeout, process)
        self.wait_balanced()

    def statistics(self) -> list[dict[str, str]]:
        """HAProxy's statistics, one row per frontend, backend and server (its CSV page)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/;csv", timeout=5) as response:
            lines = response.read().decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        return [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of every server: {"rasa_http/rasa1": "UP", ...}."""
        return {f"{row['pxname']}/{row['svname']}": row.get("status", "") for row in self.statistics()
                if row.get("svname") not in ("FRONTEND", "BACKEND", None)}

    def socketio_replica(self) -> int:
        """The replica holding most socket.io connections (HAProxy's current sessions)."""
        sessions = {row["svname"]: int(row.get("scur") or 0) for row in self.statistics()
                    if row.get("pxname") == "rasa_socketio" and row.get("svname", "").startswith("rasa")}
        busiest = max(sessions, key=lambda name: sessions[name])
        return int(busiest.removeprefix("rasa")) - 1

    def wait_balanced(self, timeout: float = 30) -> None:
        """Until HAProxy sees every running server UP."""
        deadline = time.monotonic() + timeout
        while True:
            states = self.server_states()
            if states and all(state.startswith("UP") for state in states.values()):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"servers not all up: {states}")
            time.sleep(0.5)
