"""The one home of every fixed fact of the catalog: names, paths, environment switches, budgets.

Other modules import these; nothing here does I/O or imports anything heavy.
"""

from __future__ import annotations

from datetime import timedelta

#: Application name used for platform directories (``platformdirs.user_cache_dir(APP_NAME)``).
APP_NAME = "bestehorn-llmmanager"

#: Version of the catalog file format, shared by the cache file and the bundled file.
#: Bump it on any incompatible change; decoders reject every other version.
SCHEMA_VERSION = 1

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

#: Lifecycle status used for models that only inference profiles mention.
UNKNOWN_LIFECYCLE = "UNKNOWN"

TRUTHY = frozenset({"1", "true", "yes", "on"})


def env_flag(value: str | None) -> bool:
    """Return True when an environment switch's value means "on"."""
    return value is not None and value.strip().lower() in TRUTHY
