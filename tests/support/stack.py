"""Start the real processes (Rasa server, action server, guidance service) on loopback.

Used by the end-to-end tests and the benchmarks: each `Stack` gets free ports, its
own data directory and database (SQLite by default, or `database_url`), a fresh
RASA_TOKEN, and loads the knowledge base. Logs go to files under the data
directory and are printed when a process fails to start.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
APP_PYTHON = ROOT / ".venv-app" / "bin" / "python"
MODEL = ROOT / "models" / "assistant.tar.gz"
#: Seconds a process gets after SIGTERM once its tests are over (`with stack:`, the fixtures' teardown):
#: Rasa took 18 s to shut down gracefully (Sanic waits up to 15 s for open connections), and nothing
#: checks it then (a test that restarts a stack calls stop() and gets the full 15 s).
TEARDOWN_GRACE = 3.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:  # it serves (a route an older checkout lacks: 404)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@dataclass
class Stack:
    """A running assistant. Use as a context manager, or call start()/stop()."""

    env_overrides: dict[str, str] = field(default_factory=dict)
    root: Path = ROOT  # another checkout (the benchmark's baseline) runs its own code and model
    start_timeout: float = 420.0  # seconds for Rasa to load its model (minutes on a busy 2-CPU machine)
    database_url: str | None = None
    credentials: dict[str, Any] | None = None
    start_service: bool = True
    endpoints: Path = ROOT / "endpoints.yml"
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mre-stack-")))
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    service_port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def service_url(self) -> str:
        return f"http://localhost:{self.service_port}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "TWILIO_", "SMTP_"))}
        env.update(
            PYTHONPATH=str(self.root),
            DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url or f"sqlite:///{self.data_dir / 'assistant.db'}",
            TRACKER_DATABASE_URL=f"sqlite:///{self.data_dir / 'tracker.db'}",
            RASA_TOKEN=self.token,
            RASA_URL=self.rasa_url,
            ACTION_SERVER_URL=f"{self.action_url}/webhook",
            ACTION_SERVER_PORT=str(self.action_port),
            ACTION_SERVER_TOKEN=self.action_token,
            CORS_ORIGINS=f"{self.service_url},http://127.0.0.1:{self.service_port}",
            RATE_LIMIT_CLIENT="100000",  # every test client is 127.0.0.1
            SERVICE_HOST="127.0.0.1",
            SERVICE_PORT=str(self.service_port),
            SERVICE_PUBLIC_URL=self.service_url,
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL="2",
            LOG_LEVEL="INFO",
        )
        env.pop("REDIS_URL", None)
        env.pop("SOCKETIO_REDIS_URL", None)  # one Rasa: socket.io emits stay in the process
        env.update(self.env_overrides)
        return env

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.data_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        self.commands[name] = command
        return process

    def kill(self, name: str) -> None:
        """SIGKILL one process (no graceful shutdown: work in flight is cut)."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def restart(self, name: str, timeout: float | None = None) -> None:
        """Start a process again with the command it was started with; wait until it serves."""
        process = self._spawn(name, self.commands[name])
        url = {"actions": f"{self.action_url}/ready", "rasa": f"{self.rasa_url}/",
               "service": f"{self.service_url}/health"}[name]
        wait_http(url, timeout or self.start_timeout, process)

    def log(self, name: str) -> str:
        path = self.data_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def run_app(self, *args: str) -> None:
        subprocess.run([str(self.app_python), *args], cwd=self.root, env=self.env, check=True, capture_output=True)

    @property
    def app_python(self) -> Path:
        return self.root / APP_PYTHON.relative_to(ROOT)

    @property
    def model(self) -> Path:
        return self.root / MODEL.relative_to(ROOT)

    def start(self) -> Stack:
        self.launch()
        self.wait_ready()
        return self

    def launch(self) -> Stack:
        """Migrates, loads the knowledge base and spawns the processes without waiting for them
        (`start_together` launches several stacks, then waits for all)."""
        if self.root != ROOT and self.endpoints == ROOT / "endpoints.yml":
            self.endpoints = self.root / "endpoints.yml"
        if not self.model.exists():
            raise RuntimeError("no trained model: run `make train` first")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.run_app("-m", "assistant.db", "upgrade")
        self.run_app("-m", "assistant.kb", "load")
        credentials = self.credentials or {"assistant.channels.rest.ValidatedRestInput": None, "assistant.channels.socketio.SessionSocketIOInput": {
            "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True,
        }}
        credentials_file = self.data_dir / "credentials.yml"
        credentials_file.write_text(json.dumps(credentials))  # JSON is YAML
        try:
            if (self.root / "assistant" / "rasa_server.py").exists():
                # the launchers of the Procfile: loopback, secrets from the environment
                self._spawn("actions", [str(self.app_python), "-m", "assistant.actions.server",
                                        "--port", str(self.action_port)])
                self._spawn(
                    "rasa",
                    [str(self.root / RASA_PYTHON.relative_to(ROOT)), "-m", "assistant.rasa_server",
                     "--model", str(self.model), "--port", str(self.rasa_port),
                     "--endpoints", str(self.endpoints), "--credentials", str(credentials_file)],
                )
            else:  # a baseline checkout from before the launchers
                self._spawn(
                    "actions", [str(self.app_python), "-m", "rasa_sdk", "--actions", "assistant.actions",
                                "--port", str(self.action_port)]
                )
                self._spawn(
                    "rasa",
                    [str(self.root / RASA.relative_to(ROOT)), "run", "--model", str(self.model), "--enable-api",
                     f"--auth-token={self.token}", "--cors", "*", "--port", str(self.rasa_port),
                     "--interface", "127.0.0.1", "--endpoints", str(self.endpoints),
                     "--credentials", str(credentials_file)],
                )
            if self.start_service:
                self._spawn("service", [str(self.app_python), "-m", "assistant.service"])
        except Exception:
            self._failed()
            raise
        return self

    def wait_ready(self) -> Stack:
        """Until every launched process serves (on failure: their logs printed, the stack stopped)."""
        try:
            if "service" in self.processes:
                wait_http(f"{self.service_url}/health", 60, self.processes["service"])
            wait_http(f"{self.action_url}/health", 240, self.processes["actions"])
            wait_http(f"{self.rasa_url}/", self.start_timeout, self.processes["rasa"])
            # its knowledge index built (a baseline checkout without the route answers 404)
            wait_http(f"{self.action_url}/ready", 240, self.processes["actions"])
        except Exception:
            self._failed()
            raise
        return self

    def _failed(self) -> None:
        for name in self.processes:
            sys.stderr.write(f"\n----- {name} log -----\n{self.log(name)[-4000:]}\n")
        self.stop()

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM, then SIGKILL for what still runs after `grace` seconds (all the processes together)."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.01))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes.clear()

    def cleanup(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop(grace=TEARDOWN_GRACE)

    # ------------------------------------------------------------- talking to it

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict[str, Any]]:
        """One turn through Rasa's REST channel; returns the bot's messages."""
        return self.post_json(f"{self.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout)

    def post_json(self, url: str, payload: Any, timeout: float = 30, headers: dict[str, str] | None = None) -> Any:
        request = urllib.request.Request(
            url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json", **(headers or {})}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def tracker(self, sender: str) -> dict[str, Any]:
        """The tracker of a conversation id (`whatsapp:…`, `web:…`), or of a REST sender."""
        conversation = sender if sender.split(":")[0] in ("rest", "web", "whatsapp", "twilio") else f"rest:{sender}"
        url = f"{self.rasa_url}/conversations/{conversation}/tracker?token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())


def start_together(*stacks: Stack) -> None:
    """Starts several stacks at once: their Rasa servers load the model at the same time (mostly one
    core each), instead of one after the other. On a failure every stack is stopped."""
    launched: list[Stack] = []
    try:
        for stack in stacks:
            launched.append(stack)
            stack.launch()
        for stack in stacks:
            stack.wait_ready()
    except BaseException:
        for stack in launched:
            stack.stop()
        raise
