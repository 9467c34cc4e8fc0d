"""Time on the warm path: the datetime types, and the one real clock.

Modules on the warm path take ``datetime``, ``timedelta`` and ``timezone`` from here. They are the
very classes of the ``datetime`` module, imported from CPython's C module ``_datetime`` when it
exists: importing ``datetime`` first runs its whole pure-Python implementation and only then
replaces it with the C one (about 2 ms, the warm start's largest single import). Elsewhere (PyPy,
or a build without the C module) they come from ``datetime``. No I/O.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, timedelta, timezone
else:
    try:
        from _datetime import datetime, timedelta, timezone
    except ImportError:  # pragma: no cover - no C accelerator
        from datetime import datetime, timedelta, timezone

__all__ = ["UTC", "datetime", "system_clock", "timedelta", "timezone"]

UTC = timezone.utc


def system_clock() -> datetime:
    """The time now, in UTC: the default ``clock=`` of the catalog, and the only real clock."""
    return datetime.now(UTC)
