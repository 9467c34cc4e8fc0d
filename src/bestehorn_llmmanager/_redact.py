"""The one home of the AWS account-id pattern: find and mask account ids in text.

Everything that may write server-supplied or error text into a cache, a bundle, a log or an error
message masks it here first. This module imports only ``re``; it must never grow other concerns.
"""

from __future__ import annotations

import re

__all__ = ["ACCOUNT_ID_MASK", "ACCOUNT_ID_RE", "find_account_ids", "mask_account_ids"]

#: A 12-digit AWS account id, e.g. inside ``arn:aws:iam::123456789012:user/x``, a profile ARN, or
#: an AccessDenied message. ASCII digits only (``\d`` would also match other scripts' digits), and
#: never part of a longer run of digits, so 13-digit epoch milliseconds are left alone.
ACCOUNT_ID_RE = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")

#: What an account id is replaced with: the same length, so column layouts and messages keep their
#: shape, and plainly not a number.
ACCOUNT_ID_MASK = "*" * 12


def mask_account_ids(text: str) -> str:
    """Return ``text`` with every 12-digit account id replaced by ``ACCOUNT_ID_MASK``."""
    if not ACCOUNT_ID_RE.search(text):  # the common case: no copy
        return text
    return ACCOUNT_ID_RE.sub(ACCOUNT_ID_MASK, text)


def find_account_ids(text: str) -> list[str]:
    """The distinct account ids in ``text``, sorted (empty when there are none)."""
    return sorted(set(ACCOUNT_ID_RE.findall(text)))
