"""The workflows in .github/workflows stay honest: every bedrock-catalog command they run is one
this suite runs too, and the live AWS suite they call collects and skips cleanly here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _invocations() -> list[list[str]]:
    found = []
    for workflow in WORKFLOWS:
        for line in workflow.read_text().splitlines():
            match = re.search(r"bedrock-catalog ([a-z][^|>&\"]*)", line)
            if match and "run:" not in match.group(0):
                found.append(match.group(1).split())
    return found


def test_every_bedrock_catalog_command_in_a_workflow_is_tested() -> None:
    tested = (ROOT / "tests" / "test_cli.py").read_text()
    invocations = _invocations()
    assert {"generate", "verify", "diff", "list"} <= {w for inv in invocations for w in inv}
    for words in invocations:
        command = [w for w in words if not w.startswith(("$", "/", "src/", "'", '"'))]
        for word in command:
            assert f'"{word}"' in tested, f"`bedrock-catalog {' '.join(words)}`: {word} untested"


def test_the_live_suite_skips_with_a_reason_without_opt_in() -> None:
    env = {k: v for k, v in os.environ.items() if k != "BEDROCK_LIVE_TESTS"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-m", "aws", "tests/test_live_aws.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "4 skipped" in proc.stdout
    assert "set BEDROCK_LIVE_TESTS=1" in proc.stdout
