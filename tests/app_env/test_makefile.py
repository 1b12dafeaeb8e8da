"""`make help` lists every target of the Makefile, one line each."""

from __future__ import annotations

import re
import subprocess

from assistant.settings import ROOT


def test_make_help_lists_every_target_once() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = {t for line in re.findall(r"^\.PHONY:((?:.*\\\n)*.*)$", makefile, re.M) for t in line.replace("\\\n", " ").split()}
    out = subprocess.run(["make", "--no-print-directory", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    listed = [m.group(1) for m in re.finditer(r"^make (\S+)\s+\S", out, re.M)]
    assert sorted(set(listed)) == sorted(listed)  # one line each
    assert phony <= set(listed), sorted(phony - set(listed))
