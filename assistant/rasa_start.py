"""The Rasa process's start-up entry point: the project's Rasa patches, then Rasa.

`python -m assistant.rasa_start <rasa arguments>` (e.g. `run …`, `shell …`, `test core …`)
applies `assistant.rasa_patches` (refusing any Rasa version but the one they were written
for) and hands over to Rasa's own command line. Every way this project starts Rasa goes
through here: `assistant.rasa_server` (Procfile, tests, scaled runs), `make shell`,
`make test-stories` and the Kubernetes manifest.
"""

from __future__ import annotations

import sys

from assistant import rasa_patches


def main(arguments: list[str] | None = None) -> None:
    rasa_patches.apply()
    sys.argv = ["rasa", *(sys.argv[1:] if arguments is None else arguments)]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
