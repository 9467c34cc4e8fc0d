"""One invocation of the CLI: its options, its logging, and the catalog built on first use.

Calls only the library's public face (``bestehorn_llmmanager.bedrock.catalog``). Owns the
logging set-up of the process while a command runs, and puts it back afterwards.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ..bedrock.catalog import (
    BUNDLE_FRESHNESS_WARNING_DAYS,
    ENV_OFFLINE,
    CatalogSource,
    FallbackCause,
    describe_age,
)
from ._progress import ProgressAware, fetch_progress
from ._render import PROG, Quiet, human_time, note, plural

if TYPE_CHECKING:
    from ..bedrock.catalog import BedrockModelCatalog, Catalog, CatalogMetadata

_PACKAGE_LOGGER = "bestehorn_llmmanager"


class Failure(Exception):
    """An error the command reports as one line plus a hint, then exits 1."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class _Filter(logging.Filter):
    """What reaches the terminal from the library's log.

    - The catalog's one fallback WARNING is held back: the command prints its own line.
    - A region-failure WARNING of a refresh is held back while the command reports it itself.
    - A message already shown in this process is not shown again (the same problem, once).
    """

    def __init__(self) -> None:
        super().__init__()
        self.hold_region_failures = False
        #: While set, WARNINGs from this logger (and below) are held: the command is about to
        #: report the same facts from the result it gets (e.g. ``ClearReport.kept``).
        self.held_logger: str | None = None
        self._seen: set[tuple[str, str]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "catalog_fallback", False):
            return False
        if self.hold_region_failures and getattr(record, "catalog_regions_failed", False):
            return False
        held = self.held_logger
        if held is not None and (record.name == held or record.name.startswith(held + ".")):
            return record.levelno > logging.WARNING
        try:
            # Not keyed by level: a library that warns once and then repeats at DEBUG would
            # otherwise show the same line twice under -vv.
            key = (record.name, record.getMessage())
        except Exception:  # a broken record: let logging report it
            return True
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes log lines to stderr below a progress line, never on it."""

    def emit(self, record: logging.LogRecord) -> None:
        bar = ProgressAware.active
        if bar is not None:
            bar.break_line()
        super().emit(record)


def flat_regions(values: Sequence[Any] | None) -> list[str] | None:
    """--regions as one ordered list without duplicates (it may hold lists, after a subcommand)."""
    if values is None:
        return None
    flat: list[str] = []
    for item in values:
        flat.extend(item if isinstance(item, list) else [item])
    return list(dict.fromkeys(flat))


class Run:
    """The parsed options of one invocation, with the catalog built on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json: bool = bool(getattr(args, "json", False))
        self.now_fixed: datetime | None = getattr(args, "now", None)
        self.regions: list[str] | None = flat_regions(getattr(args, "regions", None))
        self._catalog: BedrockModelCatalog | None = None
        self._catalog_regions: list[str] | None = self.regions
        verbose = int(getattr(args, "verbose", 0) or 0)
        quiet = bool(getattr(args, "quiet", False))
        self.verbose = verbose
        Quiet.quiet = quiet
        self.filter = _Filter()
        handler = _Handler(sys.stderr)
        handler.setFormatter(logging.Formatter(f"{PROG}: %(levelname)s: %(message)s"))
        if quiet:
            level = logging.ERROR
        else:
            level = (logging.WARNING, logging.INFO)[verbose] if verbose < 2 else logging.DEBUG
        handler.setLevel(level)
        handler.addFilter(self.filter)
        package = logging.getLogger(_PACKAGE_LOGGER)
        root = logging.getLogger()
        # What the process had before: put back by close(), so that calling main() in-process
        # (a test, a notebook) leaves no handler pointing at a stream that may be closed later.
        self._saved = (package.handlers[:], package.level, package.propagate)
        self._saved_root = (root.handlers[:], root.level)
        if verbose >= 2:
            # One handler, one format, for the library and for botocore alike: -vv shows each
            # record once (a second handler on the root logger would print it twice). botocore's
            # own DEBUG chatter (event renames, credential probes) waits for -vvv.
            package.handlers = []
            package.setLevel(logging.DEBUG)
            package.propagate = True
            root.handlers = [handler]
            root.setLevel(logging.DEBUG if verbose >= 3 else logging.INFO)
        else:
            package.handlers = [handler]
            package.setLevel(level)
            package.propagate = False

    def close(self) -> None:
        """Restore the logging configuration this run replaced."""
        package = logging.getLogger(_PACKAGE_LOGGER)
        package.handlers, level, package.propagate = self._saved
        package.setLevel(level)
        root = logging.getLogger()
        root.handlers, root_level = self._saved_root
        root.setLevel(root_level)
        Quiet.quiet = False

    def now(self) -> datetime:
        return self.now_fixed or datetime.now(timezone.utc)

    def clock(self) -> Callable[[], datetime] | None:
        fixed = self.now_fixed
        return (lambda: fixed) if fixed is not None else None

    def session(self) -> Any:
        return None if self.args.profile is None else LazySession(self.args.profile)

    def ask_for(self, regions: list[str] | None) -> None:
        """Build the catalog for ``regions`` (a one-region question fetches one region)."""
        if self._catalog is None:
            self._catalog_regions = regions

    def catalog(self, *, offline: bool | None = None) -> BedrockModelCatalog:
        if self._catalog is None:
            from ..bedrock.catalog import BedrockModelCatalog

            self._catalog = BedrockModelCatalog(
                cache_mode=self.args.cache_mode,
                cache_directory=self.args.cache_dir,
                regions=self._catalog_regions,
                session=self.session(),
                offline=True if self.args.offline or offline else None,
                clock=self.clock(),
            )
        return self._catalog

    def offline_catalog(self, regions: Sequence[str] | None) -> BedrockModelCatalog:
        """A separate catalog for ``regions`` that only reads (never fetches, no bundle)."""
        from ..bedrock.catalog import BedrockModelCatalog

        return BedrockModelCatalog(
            cache_mode=self.args.cache_mode,
            cache_directory=self.args.cache_dir,
            regions=regions,
            offline=True,
            fallback_to_bundled=False,
            clock=self.clock(),
        )

    def loaded(self) -> Catalog:
        """The catalog, loaded; says once on stderr where its data came from and how old."""
        face = self.catalog()
        with fetch_progress(self._catalog_regions, json=self.json, eager=False) as progress:
            face.load(on_event=progress)
        catalog = face.catalog
        note(self.source_line(catalog))
        if self.verbose:
            asked = " ".join(self._catalog_regions) if self._catalog_regions else "every region"
            note(
                f"catalog: {plural(len(catalog), 'model')}, "
                f"{outcome_summary(catalog.metadata)}; asked for {asked}"
            )
        return catalog

    def source_line(self, catalog: Catalog) -> str:
        meta = catalog.metadata
        age = describe_age(self.now() - meta.retrieved_at)
        when = human_time(meta.retrieved_at)
        if meta.source is CatalogSource.BUNDLED:
            reason = self.fallback_reason(meta)
            line = f"using the bundled catalog (data from {when}, {age} old): {reason}"
            if self.now() - meta.retrieved_at > timedelta(days=BUNDLE_FRESHNESS_WARNING_DAYS):
                line += (
                    f"; the bundle is over {BUNDLE_FRESHNESS_WARNING_DAYS} days old: upgrade "
                    f"bestehorn-llmmanager (pip install -U bestehorn-llmmanager), or run "
                    f"`{PROG} refresh` with AWS credentials"
                )
            return line
        if meta.source is CatalogSource.STALE_CACHE:
            return (
                f"using an expired cache (data from {when}, {age} old, {meta.cache_path}): "
                f"{self.fallback_reason(meta)}"
            )
        if meta.source is CatalogSource.CACHE:
            where = f", {meta.cache_path}" if meta.cache_path else ""
            return f"using the cached catalog (data from {when}, {age} old{where})"
        return f"using live data from the AWS API ({outcome_summary(meta)})"

    def fallback_reason(self, meta: CatalogMetadata) -> str:
        """Why the live API was not used, for people, from the metadata's fallback data."""
        if self.args.offline:
            return "--offline was given"
        fallback = meta.fallback
        if fallback is None:
            return "the live API was not used"
        cause = fallback.cause
        if cause is FallbackCause.OFFLINE:
            return f"offline ({ENV_OFFLINE} is set)"
        if cause is FallbackCause.PROFILE_NOT_FOUND and self.args.profile:
            return (
                f"the AWS profile {self.args.profile!r} was not found (check the name against "
                f"`aws configure list-profiles`)"
            )
        if self.verbose:
            note(f"why the live API was not used: {fallback.detail}")
        if cause is FallbackCause.PROFILE_NOT_FOUND:
            return "the AWS profile was not found (check AWS_PROFILE and ~/.aws/config)"
        if cause is FallbackCause.NO_CREDENTIALS:
            return "no AWS credentials found (set AWS_PROFILE or pass --profile for live data)"
        return str(fallback.detail)


class LazySession:
    """A boto3 Session for ``--profile``, made on first use: cache hits never import boto3."""

    def __init__(self, profile: str) -> None:
        self._profile = profile
        self._session: Any = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._session is None:
            import boto3

            self._session = boto3.Session(profile_name=self._profile)
        return getattr(self._session, name)


def outcome_summary(meta: Any) -> str:
    return (
        f"{plural(len(meta.regions_ok), 'region')} ok, "
        f"{len(meta.regions_unavailable)} unavailable, {len(meta.regions_failed)} failed"
    )
