"""The catalog bundled in the package: its bytes, its version, and the decoded catalog.

Never touches the network. ``importlib.resources`` (which imports tempfile, shutil, zipfile and
more) is imported only when the bundle is actually read, never on the warm path.
"""

from __future__ import annotations

import re

from ..._errors import CatalogFormatError
from ..._log import getLogger
from ._constants import BUNDLED_FILENAME, BUNDLED_PACKAGE
from ._process import process_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from ._catalog import Catalog

logger = getLogger(__name__)

# The header of the payload: "retrieved_at" is its first member (see _fileformat.encode).
_RETRIEVED_AT = re.compile(rb'"retrieved_at":"([^"]+)"')


def read_bundled_bytes() -> bytes:
    """The raw bytes of the bundled catalog file; CatalogFormatError if it is missing."""
    from importlib import resources

    try:
        return resources.files(BUNDLED_PACKAGE).joinpath(BUNDLED_FILENAME).read_bytes()
    except (OSError, ModuleNotFoundError) as exc:
        raise CatalogFormatError(
            f"the bundled catalog is missing from the installed package ({exc}); "
            "reinstall bestehorn-llmmanager",
            path=BUNDLED_FILENAME,
        ) from None


def bundled_version() -> str | None:
    """The bundle's version: its ``retrieved_at`` as written in the file (``...Z``).

    THE one reading of the bundle's timestamp: from the header bytes, without decoding the whole
    file, once per process (kept in ``process_state``: the installed package does not change
    under a running process). None when the bundle is missing or its header unreadable.
    """
    state = process_state
    if not state.bundled_version_read:
        try:
            match = _RETRIEVED_AT.search(read_bundled_bytes(), 0, 4096)
        except CatalogFormatError:
            return None  # not remembered: a reinstall may bring it back
        with state.guard:
            state.bundled_version = match.group(1).decode("ascii", "replace") if match else None
            state.bundled_version_read = True
    return state.bundled_version


def bundle_retrieved_at() -> datetime | None:
    """``bundled_version()`` as a time (None when unknown or unreadable)."""
    version = bundled_version()
    if version is None:
        return None
    from ._fileformat import parse_time

    try:
        return parse_time(version)
    except ValueError:
        return None


def load_bundled() -> Catalog:
    """Decode the bundled catalog; raises CatalogFormatError (never crashes) when it is bad."""
    from ._fileformat import decode
    from ._metadata import CatalogSource

    catalog = decode(read_bundled_bytes(), source=CatalogSource.BUNDLED, path=BUNDLED_FILENAME)
    logger.debug("bundled catalog from %s (%d models)", catalog.metadata.retrieved_at, len(catalog))
    return catalog.with_metadata(bundled_version=bundled_version)
