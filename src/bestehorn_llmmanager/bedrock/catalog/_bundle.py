"""Loads the catalog bundled in the package (importlib.resources); never touches the network."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from importlib import resources

from ..._errors import CatalogFormatError
from ._catalog import Catalog
from ._constants import BUNDLED_FILENAME, BUNDLED_PACKAGE
from ._fileformat import decode, format_time
from ._types import CatalogSource

logger = logging.getLogger(__name__)


def read_bundled_bytes() -> bytes:
    """The raw bytes of the bundled catalog file; CatalogFormatError if it is missing."""
    try:
        return resources.files(BUNDLED_PACKAGE).joinpath(BUNDLED_FILENAME).read_bytes()
    except (OSError, ModuleNotFoundError) as exc:
        raise CatalogFormatError(
            f"the bundled catalog is missing from the installed package ({exc}); "
            "reinstall bestehorn-llmmanager",
            path=BUNDLED_FILENAME,
        ) from None


def load_bundled() -> Catalog:
    """Decode the bundled catalog; raises CatalogFormatError (never crashes) when it is bad."""
    catalog = decode(read_bundled_bytes(), source=CatalogSource.BUNDLED, path=BUNDLED_FILENAME)
    version = format_time(catalog.metadata.retrieved_at)
    logger.debug("bundled catalog from %s (%d models)", version, len(catalog))
    return catalog.with_metadata(bundled_version=version)


def bundle_age(catalog: Catalog, now: datetime | None = None) -> timedelta:
    """How old the bundle's data is: now minus the time AWS answered."""
    return (now or datetime.now(timezone.utc)) - catalog.metadata.retrieved_at
