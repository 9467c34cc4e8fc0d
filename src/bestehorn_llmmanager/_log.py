"""A lazy logger: ``logging`` is imported only when a record could be seen by someone.

Library code logs through ``getLogger(__name__)`` from here, with the calls of
``logging.Logger`` (``debug``, ``info``, ``warning``, ``error``, ``exception``, ``log``).
Until some code imports ``logging``, no handler and no level can have been configured, so a
DEBUG or INFO record could only be dropped: it is dropped without importing ``logging``
(about 5 ms, more than a warm start's whole decode). A WARNING or above always goes to the real
logger, which shows it through ``logging.lastResort`` when nothing is configured. The first
record of any level after ``logging`` is imported goes to the real logger as usual.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging as _logging
    from typing import Any

__all__ = ["Logger", "getLogger"]

_WARNING = 30


class Logger:
    """The named logger of one module, resolved to ``logging.getLogger(name)`` when needed."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def _real(self) -> _logging.Logger:
        import logging

        return logging.getLogger(self.name)

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        logging = sys.modules.get("logging")
        if logging is None and level < _WARNING:
            return
        kwargs.setdefault("stacklevel", 2)
        self._real().log(level, msg, *args, **kwargs)

    def isEnabledFor(self, level: int) -> bool:
        if "logging" not in sys.modules and level < _WARNING:
            return False
        return self._real().isEnabledFor(level)

    def debug(self, msg: object, *args: object, **kwargs: Any) -> None:
        if "logging" in sys.modules:
            kwargs.setdefault("stacklevel", 2)  # the caller's line, not this one
            self._real().debug(msg, *args, **kwargs)

    def info(self, msg: object, *args: object, **kwargs: Any) -> None:
        if "logging" in sys.modules:
            kwargs.setdefault("stacklevel", 2)  # the caller's line, not this one
            self._real().info(msg, *args, **kwargs)

    def warning(self, msg: object, *args: object, **kwargs: Any) -> None:
        kwargs.setdefault("stacklevel", 2)
        self._real().warning(msg, *args, **kwargs)

    def error(self, msg: object, *args: object, **kwargs: Any) -> None:
        kwargs.setdefault("stacklevel", 2)
        self._real().error(msg, *args, **kwargs)

    def exception(self, msg: object, *args: object, **kwargs: Any) -> None:
        # error(exc_info=True) is what Logger.exception does; calling it directly keeps the
        # caller's line on 3.10 too, whose stacklevel also counts logging's own extra frame.
        kwargs.setdefault("stacklevel", 2)
        kwargs.setdefault("exc_info", True)
        self._real().error(msg, *args, **kwargs)


def getLogger(name: str) -> Logger:
    """The lazy logger for ``name`` (use ``__name__``)."""
    return Logger(name)
