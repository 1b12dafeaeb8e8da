"""Run the assistant scaled out on one machine (`make run-scaled`).

N Rasa replicas and N action servers behind HAProxy (deploy/haproxy/haproxy.cfg.in),
PostgreSQL as tracker store and project database, Redis as lock store and socket.io
message queue. The process commands are the ones of the `Procfile` (`make run`) with
their ports changed, so options added there (security, CORS) apply here too.

Ports (loopback): the balancer takes Rasa's usual 5005 and the action server's 5055, so
the widget, the guidance service and Rasa itself are configured as for `make run`;
replicas listen on 5011.., action servers on 5061.., HAProxy's statistics page on 8404.

Security as for `make run`: the replicas are started by the authenticated launchers
(`assistant.rasa_server`, `assistant.actions.server`) and always bound to 127.0.0.1 (only
the balancer is reachable, on `Layout.bind`); RASA_TOKEN and ACTION_SERVER_TOKEN come from
the environment or `.env` (never a command line) and the run refuses to start without them.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "haproxy" / "haproxy.cfg.in"
APP_PYTHON = ROOT / ".venv-app" / "bin" / "python"


@dataclass(frozen=True)
class Layout:
    """Where every process of the scaled run listens."""

    rasa_port: int = 5005
    actions_port: int = 5055
    stats_port: int = 8404
    rasa_backends: tuple[int, ...] = (5011, 5012)
    action_backends: tuple[int, ...] = (5061, 5062)
    bind: str = "127.0.0.1"

    @classmethod
    def with_replicas(cls, replicas: int) -> Layout:
        return cls(rasa_backends=tuple(5011 + i for i in range(replicas)),
                   action_backends=tuple(5061 + i for i in range(replicas)))


def render_haproxy(layout: Layout, log_to_stdout: bool = True) -> str:
    """The HAProxy configuration for `layout` (health-checked servers, sticky conversations)."""
    def servers(prefix: str, ports: tuple[int, ...]) -> str:
        return "\n".join(f"    server {prefix}{i + 1} 127.0.0.1:{port} check" for i, port in enumerate(ports))

    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        bind=layout.bind,
        rasa_port=layout.rasa_port,
        actions_port=layout.actions_port,
        stats_port=layout.stats_port,
        rasa_servers=servers("rasa", layout.rasa_backends),
        action_servers=servers("actions", layout.action_backends),
        log_global="    log stdout format raw local0 info" if log_to_stdout else "",
        log_defaults="    log global" if log_to_stdout else "",
    )


#: Secrets every replica needs (written into `.env` by scripts/make-dotenv).
REQUIRED_SECRETS = ("RASA_TOKEN", "ACTION_SERVER_TOKEN")
#: Launchers of the Procfile that a scaled run must use (loopback, shared secret).
LAUNCHERS = {"rasa": "-m assistant.rasa_server", "actions": "-m assistant.actions.server"}


def read_dotenv(path: Path) -> dict[str, str]:
    """`KEY=value` lines of an `.env` file (comments and blank lines skipped)."""
    if not path.exists():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            values[key.strip()] = value.strip().strip("'\"")
    return values


def replica_environment(environ: dict[str, str], dotenv: Path = ROOT / ".env") -> dict[str, str]:
    """The environment of the replicas: secrets from `environ`, else `.env`; bound to loopback.

    Raises SystemExit when a secret is missing (the launchers would refuse to start anyway).
    """
    env = {**read_dotenv(dotenv), **{k: v for k, v in environ.items() if v or k not in REQUIRED_SECRETS}}
    missing = [name for name in REQUIRED_SECRETS if not env.get(name)]
    if missing:
        raise SystemExit(f"make run-scaled needs {', '.join(missing)} (scripts/make-dotenv .env writes them)")
    env["RASA_HOST"] = env["ACTION_SERVER_HOST"] = "127.0.0.1"  # only the balancer is exposed
    return env


def procfile_commands(procfile: Path = ROOT / "Procfile") -> dict[str, str]:
    commands = {}
    for line in procfile.read_text(encoding="utf-8").splitlines():
        name, sep, command = line.partition(":")
        if sep and not line.startswith("#"):
            commands[name.strip()] = command.strip()
    return commands


def with_port(command: str, port: int) -> str:
    """`command` (a Procfile line) listening on `port` instead of its own."""
    changed, count = re.subn(r"--port\s+\d+", f"--port {port}", command)
    if count != 1:
        raise ValueError(f"expected one --port option in: {command}")
    return changed


def scaled_procfile(layout: Layout, haproxy_cfg: Path) -> str:
    commands = procfile_commands()
    for name, launcher in LAUNCHERS.items():
        if launcher not in commands[name] or "--auth-token" in commands[name]:
            raise ValueError(f"the Procfile's {name} line must use `{launcher}` (loopback, shared secret)")
    lines = [f"balancer: haproxy -W -db -f {haproxy_cfg}"]
    for i, port in enumerate(layout.action_backends):
        lines.append(f"actions{i + 1}: {with_port(commands['actions'], port)}")
    for i, port in enumerate(layout.rasa_backends):
        lines.append(f"rasa{i + 1}: {with_port(commands['rasa'], port)}")
    lines.append(f"service: {commands['service']}")
    return "\n".join(lines) + "\n"


async def create_database(url: str) -> bool:
    """Create the PostgreSQL database of `url` when it does not exist yet."""
    import asyncpg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    connection = await asyncpg.connect(
        host=parsed.host or "127.0.0.1", port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, database="postgres", timeout=5,
    )
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", parsed.database)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{parsed.database}"')
        return not exists
    finally:
        await connection.close()


def main() -> int:
    replicas = int(os.environ.get("SCALED_REPLICAS", "2"))
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgresql"):
        print("make run-scaled needs PostgreSQL: set SCALED_DATABASE_URL=postgresql://user@host:5432/db", file=sys.stderr)
        return 2
    if not os.environ.get("REDIS_URL"):
        print("make run-scaled needs Redis: set SCALED_REDIS_URL=redis://host:6379/0", file=sys.stderr)
        return 2
    if not shutil.which("haproxy"):
        print("haproxy is not installed (make run-scaled installs it with apt-get)", file=sys.stderr)
        return 2
    if asyncio.run(create_database(database_url)):
        print(f"created database {database_url.rsplit('/', 1)[-1]}")
    env = replica_environment(dict(os.environ))
    env["TRACKER_DATABASE_URL"] = os.environ.get("TRACKER_DATABASE_URL") or database_url
    for step in (["-m", "assistant.db", "upgrade"], ["-m", "assistant.kb", "load"]):
        subprocess.run([str(APP_PYTHON), *step], cwd=ROOT, env=env, check=True)
    layout = Layout.with_replicas(replicas)
    out = ROOT / "var" / "scaled"
    out.mkdir(parents=True, exist_ok=True)
    haproxy_cfg = out / "haproxy.cfg"
    haproxy_cfg.write_text(render_haproxy(layout), encoding="utf-8")
    subprocess.run(["haproxy", "-c", "-q", "-f", str(haproxy_cfg)], check=True)
    procfile = out / "Procfile"
    procfile.write_text(scaled_procfile(layout, haproxy_cfg), encoding="utf-8")
    env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{layout.actions_port}/webhook"
    env["RASA_URL"] = f"http://127.0.0.1:{layout.rasa_port}"
    print(f"{replicas} Rasa replicas and {replicas} action servers behind HAProxy: Rasa on :{layout.rasa_port}, "
          f"actions on :{layout.actions_port}, HAProxy statistics on http://127.0.0.1:{layout.stats_port}/")
    honcho = ROOT / ".venv-app" / "bin" / "honcho"
    # `-e /dev/null`: `.env` is already merged into `env` (under the caller's environment);
    # honcho would otherwise apply it on top and could undo the loopback binding
    os.execve(str(honcho), [str(honcho), "start", "-f", str(procfile), "-d", str(ROOT), "-e", "/dev/null"], env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
