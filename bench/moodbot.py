"""The stock assistant the turn benchmark compares with: `rasa init`'s moodbot (its default
pipeline and policies), trained once under bench/.moodbot/ and served on a free port."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from tests.support.stack import RASA, ROOT, free_port, wait_http

MOODBOT_DIR = ROOT / "bench" / ".moodbot"  # build output (git-ignored)
#: Seconds a Rasa server may take to load its model (over 7 minutes seen on the shared 2-CPU machine).
MODEL_LOAD_SECONDS = 900.0


def build_moodbot() -> Path:
    """`rasa init`'s assistant, trained once and kept under bench/.moodbot/."""
    model = MOODBOT_DIR / "models"
    if not any(model.glob("*.tar.gz")) if model.exists() else True:
        MOODBOT_DIR.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        subprocess.run([str(RASA), "init", "--no-prompt", "--init-dir", str(MOODBOT_DIR)], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return next(iter(sorted((MOODBOT_DIR / "models").glob("*.tar.gz"))))


class Moodbot:
    """The stock assistant's Rasa server on a free port. start() does not wait for its model: wait() does."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.mkstemp(prefix="moodbot-", suffix=".log")[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/rest/webhook"

    def start(self) -> None:
        model = build_moodbot()
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(RASA), "run", "--model", str(model), "--port", str(self.port), "--interface", "127.0.0.1"],
                cwd=MOODBOT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            )

    def wait(self) -> None:
        try:  # loading a model takes minutes on a busy 2-CPU machine (as for Stack)
            wait_http(f"http://127.0.0.1:{self.port}/", MODEL_LOAD_SECONDS, self.process)
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:  # a loaded machine: Rasa's shutdown took over 30 s once
                self.process.kill()
                self.process.wait(timeout=30)

    def __enter__(self) -> Moodbot:
        self.start()
        self.wait()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
