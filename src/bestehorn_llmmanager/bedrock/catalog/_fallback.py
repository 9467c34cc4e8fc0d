"""Why a catalog came from a fallback (an expired cache or the bundle), as data: FallbackReason.

Pure values; no I/O. Made only when the live API step did not serve (so a warm start, served by
the cache, never imports this module); rendered by the CLI, never parsed from message text.
"""

from __future__ import annotations

from enum import Enum

from ..._redact import mask_account_ids
from ._value import Value

_set = object.__setattr__


class FallbackCause(str, Enum):
    """Why the live API step did not provide the catalog in use (see ``FallbackReason``)."""

    #: The offline switch (``offline=True`` or ``BEDROCK_CATALOG_OFFLINE``): skipped by choice.
    OFFLINE = "offline"
    #: No AWS credentials could be found.
    NO_CREDENTIALS = "no_credentials"
    #: The AWS profile named (``AWS_PROFILE``, ``--profile``) does not exist.
    PROFILE_NOT_FOUND = "profile_not_found"
    #: Every region failed or was unavailable (``detail`` lists each region's reason).
    NO_REGION_ANSWERED = "no_region_answered"
    #: Any other failure of the API step: no endpoint, a broken proxy, an unexpected error.
    API_ERROR = "api_error"


class FallbackReason(Value):
    """Why a catalog came from a fallback (an expired cache or the bundle): data, not text.

    Args:
        step: the waterfall step that could not serve: ``"api"``.
        cause: what went wrong there, as a ``FallbackCause``.
        detail: one human-readable line (account ids masked), e.g. the error message.
    """

    __slots__ = ("cause", "detail", "step")
    _fields = ("step", "cause", "detail")

    step: str
    cause: FallbackCause
    detail: str

    def __init__(self, step: str, cause: FallbackCause, detail: str) -> None:
        _set(self, "step", step)
        _set(self, "cause", cause)
        _set(self, "detail", mask_account_ids(detail))

    def __str__(self) -> str:
        return self.detail

    def as_dict(self) -> dict[str, str]:
        """The JSON form: ``{"step": ..., "cause": ..., "detail": ...}``."""
        return {"step": self.step, "cause": self.cause.value, "detail": self.detail}
