"""The one home of every fixed fact of the catalog: names, paths, environment switches, budgets.

Other modules import these; nothing here does I/O (``read_environment`` reads ``os.environ``,
the one place that does) or imports anything heavy.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..._log import getLogger
from ._clock import timedelta
from ._process import process_state
from ._value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

#: Application name used for platform directories (``platformdirs.user_cache_dir(APP_NAME)``).
APP_NAME = "bestehorn-llmmanager"

#: Version of the catalog file format, shared by the cache file and the bundled file.
#: Bump it on any incompatible change; decoders reject every other version. 2: the lifecycle
#: dates of a model ("life") and the destination regions of each profile ("> ..." in "profiles").
SCHEMA_VERSION = 2

#: Marker written in every catalog file, so a stray JSON file is never mistaken for a catalog.
FORMAT_NAME = "bestehorn-llmmanager/bedrock-catalog"

#: File name of the FILE-mode cache inside the cache directory.
CACHE_FILENAME = "bedrock_catalog.json"

#: Package and resource name of the bundled catalog (loaded with importlib.resources).
BUNDLED_PACKAGE = "bestehorn_llmmanager.bedrock.catalog.package_data"
BUNDLED_FILENAME = "bedrock_catalog_bundled.json"

#: Environment variable that overrides the default cache directory.
ENV_CACHE_DIR = "BEDROCK_CATALOG_CACHE_DIR"

#: Environment variable that, when set to 1/true/yes/on, skips every AWS API call (air-gapped use).
ENV_OFFLINE = "BEDROCK_CATALOG_OFFLINE"

#: Default maximum age of a cached catalog before it is refreshed.
DEFAULT_CACHE_MAX_AGE_HOURS = 24.0

#: Longest a *partial* cached catalog is used (one with failed or stale regions), whatever the
#: configured max age: the next run after this retries the regions that failed.
PARTIAL_CACHE_MAX_AGE = timedelta(hours=1)

#: Default number of worker threads used to call the AWS APIs in parallel.
DEFAULT_MAX_WORKERS = 10

#: Default bound, in seconds, on one whole API refresh (all regions).
DEFAULT_TIMEOUT_SECONDS = 60.0

#: Bundled data older than this many days triggers a freshness warning when it is used.
BUNDLE_FRESHNESS_WARNING_DAYS = 90

#: THE shrink guard (its one home), for a new catalog replacing an older one of the same regions:
#: one with more than this share fewer models is suspect (a broken account policy, an API
#: incident). BedrockModelCatalog fetches once more to confirm the drop before taking it; the
#: bundle generator refuses it without ``--force``.
MAX_MODEL_SHRINK = 0.20


def shrinks(new_count: int, old_count: int) -> bool:
    """True when ``new_count`` is more than ``MAX_MODEL_SHRINK`` below ``old_count``."""
    return new_count < old_count * (1 - MAX_MODEL_SHRINK)


#: Lifecycle status used for models that only inference profiles mention.
UNKNOWN_LIFECYCLE = "UNKNOWN"

#: Values of an on/off environment switch (compared stripped and case-insensitively).
TRUTHY = frozenset({"1", "true", "yes", "on"})
FALSY = frozenset({"", "0", "false", "no", "off"})


def env_flag(value: str | None) -> bool | None:
    """True/False when an environment switch's value means on/off (unset: False); None when the
    value is not understood (the caller says so: see ``CatalogSettings``)."""
    if value is None:
        return False
    folded = value.strip().lower()
    if folded in TRUTHY:
        return True
    if folded in FALSY:
        return False
    return None


logger = getLogger(__name__)


class Environment(Value):
    """The ``BEDROCK_CATALOG_*`` switches as read from the environment.

    Args:
        offline: ``BEDROCK_CATALOG_OFFLINE`` means on (``1``, ``true``, ``yes``, ``on``).
        offline_value: its raw value (None when unset), for messages.
        cache_dir: ``BEDROCK_CATALOG_CACHE_DIR`` (None when unset or blank), ``~`` expanded.
    """

    __slots__ = ("cache_dir", "offline", "offline_value")
    _fields = ("offline", "offline_value", "cache_dir")

    offline: bool
    offline_value: str | None
    cache_dir: Path | None

    def __init__(self, offline: bool, offline_value: str | None, cache_dir: Path | None) -> None:
        object.__setattr__(self, "offline", offline)
        object.__setattr__(self, "offline_value", offline_value)
        object.__setattr__(self, "cache_dir", cache_dir)


def read_environment(environ: Mapping[str, str] | None = None) -> Environment:
    """Read the switches (from ``os.environ`` by default): THE one place that reads them.

    A value of ``BEDROCK_CATALOG_OFFLINE`` that is neither on nor off (``maybe``) counts as off
    and is reported once per process with a WARNING naming the values understood.
    """
    env = os.environ if environ is None else environ
    raw = env.get(ENV_OFFLINE)
    offline = env_flag(raw)
    if offline is None:
        # Reported once per process (``process_state``), not on every construction.
        if process_state.first_time(f"env:{ENV_OFFLINE}={raw}"):
            logger.warning(
                "%s=%r is not understood, so the catalog is not offline; use one of %s to go "
                "offline, or %s (or unset it) for the live API",
                ENV_OFFLINE,
                raw,
                ", ".join(sorted(TRUTHY)),
                ", ".join(repr(v) for v in sorted(FALSY) if v),
            )
        offline = False
    directory = (env.get(ENV_CACHE_DIR) or "").strip()
    return Environment(offline, raw, Path(os.path.expanduser(directory)) if directory else None)
