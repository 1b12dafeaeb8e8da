"""Knowledge-base command line: `python -m assistant.kb check|load [DIR]`."""

from __future__ import annotations

import sys

from assistant.kb.cli import main

sys.exit(main())
