"""Serves the input channels of a credentials file as `rasa run` builds them, without a model.

Usage: python -m tests.rasa_env.channels.serve_channels CREDENTIALS_FILE PORT

Lets a test check in seconds that credentials.yml loads and that unconfigured
channels answer clearly: `rasa.core.run` imports TensorFlow (~20 s), so its
`create_http_input_channels` is mirrored here with the same Rasa helpers.
"""

from __future__ import annotations

import sys
from typing import Any

from rasa.core.channels import BUILTIN_CHANNELS
from rasa.core.channels.channel import InputChannel, register
from rasa.shared.utils.common import class_from_module_path
from rasa.shared.utils.io import read_config_file
from sanic import Sanic


def input_channels(credentials_file: str) -> list[InputChannel]:
    """Like `rasa.core.run.create_http_input_channels` (built-in name or class path)."""
    channels = []
    config: dict[str, Any] = read_config_file(credentials_file)
    for name, credentials in config.items():
        cls = BUILTIN_CHANNELS[name] if name in BUILTIN_CHANNELS else class_from_module_path(name)
        channels.append(cls.from_credentials(credentials))
    return channels


def main(credentials_file: str, port: int) -> None:
    app = Sanic("channels_only")
    register(input_channels(credentials_file), app, route="/webhooks/")
    app.run(host="127.0.0.1", port=port, access_log=False, motd=False)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
