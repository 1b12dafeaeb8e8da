"""Starts the Rasa server with its secrets and exposure taken from the settings.

`python -m assistant.rasa_server --model … --port 5005 --endpoints … --credentials …`
runs `rasa run` in this process with:
- `--interface RASA_HOST` (127.0.0.1 unless set to expose Rasa, e.g. behind a proxy);
- `--enable-api --auth-token` from RASA_TOKEN, added here so the token never appears on
  a command line (`ps` shows this process's own arguments only); no token, no start;
- `--cors` limited to CORS_ORIGINS (the socket.io channel applies the same list).
"""

from __future__ import annotations

import sys

from assistant.settings import get_settings

#: Options this launcher sets itself and refuses from its caller.
MANAGED = ("--auth-token", "--cors", "--interface", "-i", "--enable-api")


def rasa_arguments(extra: list[str]) -> list[str]:
    settings = get_settings()
    if any(arg.split("=")[0] in MANAGED for arg in extra):
        raise SystemExit(f"assistant.rasa_server sets {', '.join(MANAGED)} from the settings; do not pass them")
    if not settings.rasa_token:
        raise SystemExit("RASA_TOKEN is not set: Rasa's HTTP API needs it (make run writes one in .env)")
    return [
        "rasa", "run", *extra, "--interface", settings.rasa_host,
        # one argument with `=`: a token may begin with "-" (token_urlsafe does, 1 in 64),
        # which argparse would otherwise read as an option and stop Rasa with exit code 2
        "--enable-api", f"--auth-token={settings.rasa_token}",
        "--cors", *settings.cors_origins,
    ]


def main() -> None:
    from assistant import rasa_start

    rasa_start.main(rasa_arguments(sys.argv[1:])[1:])  # the patches, then `rasa run …`


if __name__ == "__main__":
    main()
