"""The lazy logger (_log): nothing is lost; logging is imported only when a record can be seen."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bestehorn_llmmanager._log import getLogger

SRC = Path(__file__).resolve().parent.parent / "src"

_FRESH = """
import sys
sys.path.insert(0, sys.argv[1])
from bestehorn_llmmanager._log import getLogger
log = getLogger("bestehorn_llmmanager.probe")
log.debug("quiet %s", 1)
log.info("quiet too")
print("after info:", "logging" in sys.modules, log.isEnabledFor(20))
log.warning("seen %s", "once")
print("after warning:", "logging" in sys.modules)
"""


def test_debug_and_info_never_import_logging_and_a_warning_still_shows() -> None:
    out = subprocess.run(
        [sys.executable, "-S", "-c", _FRESH, str(SRC)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.splitlines() == ["after info: False False", "after warning: True"]
    # Nothing configured logging: the standard last-resort handler shows the warning alone.
    assert out.stderr.strip() == "seen once"


def test_records_reach_configured_handlers_with_the_callers_location(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = getLogger("bestehorn_llmmanager.probe")
    caplog.set_level(logging.DEBUG, logger="bestehorn_llmmanager.probe")
    log.debug("d %d", 1)
    log.info("i")
    log.warning("w", extra={"catalog_fallback": True})
    log.log(logging.ERROR, "e")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("x")
    records = [r for r in caplog.records if r.name == "bestehorn_llmmanager.probe"]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.DEBUG, "d 1"),
        (logging.INFO, "i"),
        (logging.WARNING, "w"),
        (logging.ERROR, "e"),
        (logging.ERROR, "x"),
    ]
    assert records[2].catalog_fallback is True  # type: ignore[attr-defined]
    assert records[4].exc_info is not None
    # The record names the line that logged, not the lazy logger's own frame.
    assert {r.filename for r in records} == {Path(__file__).name}
    assert log.isEnabledFor(logging.DEBUG)
