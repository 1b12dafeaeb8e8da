"""All configuration, read from the environment in one place.

Every variable is documented in the README's configuration table. Defaults give the
embedded setup (SQLite files under `var/`, in-memory lock store, no outside service);
production sets `DATABASE_URL`, `REDIS_URL` and the secrets. Importable from both
Python environments (no third-party dependency).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.contract import REPLY_GIVE_UP_HOURS

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _bool(name: str, default: bool) -> bool:
    value = _env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def _float(name: str, default: float) -> float:
    value = _env(name)
    try:
        number = float(value) if value else float(default)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return number


def _int(name: str, default: int) -> int:
    value = _env(name)
    try:
        return int(value) if value else default
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None


@dataclass(frozen=True)
class WhatsAppSettings:
    verify_token: str
    app_secret: str
    access_token: str
    phone_number_id: str
    api_url: str
    template_name: str
    template_language: str

    @property
    def enabled(self) -> bool:
        return all((self.verify_token, self.app_secret, self.access_token, self.phone_number_id))


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str
    auth_token: str
    whatsapp_number: str

    @property
    def enabled(self) -> bool:
        return all((self.account_sid, self.auth_token, self.whatsapp_number))


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    starttls: bool
    sender: str
    recipients: tuple[str, ...]

    @property
    def enabled(self) -> bool:
        return bool(self.host and self.recipients)


def _list(name: str, default: str = "") -> tuple[str, ...]:
    return tuple(item.strip().rstrip("/") for item in _env(name, default).split(",") if item.strip())


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/')[0]}" if rest else url


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    tracker_database_url: str
    redis_url: str
    knowledge_dir: Path
    rasa_url: str
    rasa_token: str
    rasa_public_url: str
    service_host: str
    service_port: int
    cookie_secure: bool
    case_response_days: int
    notify_webhook_url: str
    notify_webhook_secret: str
    service_public_url: str
    log_level: str
    rasa_host: str
    action_server_host: str
    action_server_port: int
    action_timeout: float
    cors_origins: tuple[str, ...]
    rate_limit_conversation: int
    rate_limit_client: int
    trusted_proxies: tuple[str, ...]
    staff_session_idle_minutes: int
    staff_session_max_hours: int
    spool_retry_seconds: int
    action_server_token: str = field(repr=False)
    smtp: SmtpSettings = field(repr=False)
    whatsapp: WhatsAppSettings = field(repr=False)
    twilio: TwilioSettings = field(repr=False)
    # insights (#14): Rasa's event broker and what the consumer keeps
    event_broker_url: str = field(default="", repr=False)
    event_queue: str = "rasa_events"
    insights_retention_days: int = 90
    plan_font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")  # creation-plan PDF font (Debian fonts-dejavu-core)
    reply_retry_seconds: float = 15.0  # first wait before relaying again a reply a channel refused (doubles)
    reply_give_up_hours: float = 24.0  # a reply still refused this long after it was made is `failed`
    socketio_redis_url: str = ""  # socket.io emits shared by the Rasa replicas (#15); default REDIS_URL

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(_env("DATA_DIR", str(ROOT / "var")))
        database_url = _env("DATABASE_URL", f"sqlite:///{data_dir / 'assistant.db'}")
        default_tracker = (
            f"sqlite:///{data_dir / 'tracker.db'}" if database_url.startswith("sqlite") else database_url
        )
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            tracker_database_url=_env("TRACKER_DATABASE_URL", default_tracker),
            redis_url=_env("REDIS_URL"),
            socketio_redis_url=_env("SOCKETIO_REDIS_URL", _env("REDIS_URL")),
            knowledge_dir=Path(_env("KNOWLEDGE_DIR", str(ROOT / "knowledge"))),
            rasa_url=_env("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            rasa_token=_env("RASA_TOKEN"),
            rasa_public_url=_env("RASA_PUBLIC_URL").rstrip("/"),
            service_host=_env("SERVICE_HOST", "127.0.0.1"),
            service_port=_int("SERVICE_PORT", 8080),
            cookie_secure=_bool("COOKIE_SECURE", True),
            case_response_days=_int("CASE_RESPONSE_DAYS", 3),
            notify_webhook_url=_env("NOTIFY_WEBHOOK_URL"),
            notify_webhook_secret=_env("NOTIFY_WEBHOOK_SECRET"),
            service_public_url=_env("SERVICE_PUBLIC_URL", "http://localhost:8080").rstrip("/"),
            log_level=_env("LOG_LEVEL", "INFO").upper(),
            rasa_host=_env("RASA_HOST", "127.0.0.1"),
            action_server_host=_env("ACTION_SERVER_HOST", "127.0.0.1"),
            action_server_port=_int("ACTION_SERVER_PORT", 5055),
            action_timeout=float(_int("ACTION_TIMEOUT", 10)),
            cors_origins=_list("CORS_ORIGINS") or (
                _origin(_env("SERVICE_PUBLIC_URL", "http://localhost:8080").rstrip("/")),
                f"http://127.0.0.1:{_int('SERVICE_PORT', 8080)}",
                f"http://localhost:{_int('SERVICE_PORT', 8080)}",
            ),
            rate_limit_conversation=_int("RATE_LIMIT_CONVERSATION", 30),
            rate_limit_client=_int("RATE_LIMIT_CLIENT", 120),
            trusted_proxies=_list("TRUSTED_PROXIES"),
            staff_session_idle_minutes=_int("STAFF_SESSION_IDLE_MINUTES", 30),
            staff_session_max_hours=_int("STAFF_SESSION_MAX_HOURS", 12),
            spool_retry_seconds=_int("SPOOL_RETRY_SECONDS", 20),
            action_server_token=_env("ACTION_SERVER_TOKEN"),
            smtp=SmtpSettings(
                host=_env("SMTP_HOST"),
                port=_int("SMTP_PORT", 587),
                username=_env("SMTP_USERNAME"),
                password=_env("SMTP_PASSWORD"),
                starttls=_bool("SMTP_STARTTLS", True),
                sender=_env("SMTP_FROM", "assistant@localhost"),
                recipients=tuple(a.strip() for a in _env("NOTIFY_EMAIL_TO").split(",") if a.strip()),
            ),
            whatsapp=WhatsAppSettings(
                verify_token=_env("WHATSAPP_VERIFY_TOKEN"),
                app_secret=_env("WHATSAPP_APP_SECRET"),
                access_token=_env("WHATSAPP_ACCESS_TOKEN"),
                phone_number_id=_env("WHATSAPP_PHONE_NUMBER_ID"),
                api_url=_env("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0").rstrip("/"),
                template_name=_env("WHATSAPP_TEMPLATE_NAME", "guidance_unit_reply"),
                template_language=_env("WHATSAPP_TEMPLATE_LANGUAGE", "fr"),
            ),
            twilio=TwilioSettings(
                account_sid=_env("TWILIO_ACCOUNT_SID"),
                auth_token=_env("TWILIO_AUTH_TOKEN"),
                whatsapp_number=_env("TWILIO_WHATSAPP_NUMBER"),
            ),
            event_broker_url=_env("EVENT_BROKER_URL"),
            event_queue=_env("EVENT_QUEUE", "rasa_events"),
            insights_retention_days=_int("INSIGHTS_RETENTION_DAYS", 90),
            plan_font_dir=Path(_env("PLAN_FONT_DIR", "/usr/share/fonts/truetype/dejavu")),
            reply_retry_seconds=float(_int("REPLY_RETRY_SECONDS", 15)),
            reply_give_up_hours=_float("REPLY_GIVE_UP_HOURS", REPLY_GIVE_UP_HOURS),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (read once; tests call `get_settings.cache_clear()`)."""
    return Settings.from_env()
