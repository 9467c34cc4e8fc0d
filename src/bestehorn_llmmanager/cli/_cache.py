"""The ``cache`` command group: ``cache dir``, ``cache info`` and ``cache clear`` (like pip's).

Works on the file store the catalog would use; never fetches and never creates a directory.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..bedrock.catalog import (
    CacheInfo,
    CatalogError,
    CatalogSource,
    RegionStatus,
    describe_age,
)
from ._render import (
    PIPE_WRAP_WIDTH,
    emit_json,
    human_size,
    human_time,
    iso,
    note,
    path_text,
    stdout_width,
    wrapped,
    write_lines,
)
from ._run import Failure, Run


def _file_store_or_fail(run: Run) -> Any:
    if str(run.args.cache_mode) != "file":
        raise Failure(
            f"cache mode {str(run.args.cache_mode)!r} keeps nothing on disk",
            "the cache commands work on the file cache; drop --cache-mode",
        )
    return run.catalog(offline=True).store


def _usable_directory(store: Any) -> Path:
    """Where the file store would write (its choice, made by the store; creates nothing)."""
    directory: Path | None = store.writable_directory()
    if directory is None:
        # No usable directory at all (a read-only root): the store keeps the catalog in memory.
        note(
            f"{store.directory} is not writable and there is no usable temp dir: the catalog "
            "is kept in memory only"
        )
        return Path(store.directory)
    return directory


def _on_disk(info: CacheInfo) -> bool:
    # CacheInfo.exists is also true when the path cannot even be looked at (e.g. a file where a
    # parent directory should be); the commands report what is there.
    return info.exists and info.path is not None and os.path.lexists(info.path)


def cmd_cache_dir(run: Run) -> int:
    store = _file_store_or_fail(run)
    info = store.info(now=run.now())
    if _on_disk(info):
        assert info.path is not None
        directory = info.path.parent
    else:
        directory = _usable_directory(store)
    if run.json:
        return emit_json({"cache_dir": str(directory)})
    write_lines([str(directory)])
    return 0


def _region_counts(run: Run, info: CacheInfo) -> dict[str, list[str]]:
    """Status -> regions of the cached catalog, so `cache info` counts as `status` does."""
    if not info.exists or not info.valid:
        return {}
    regions = info.requested_regions or info.regions or None
    try:
        catalog = run.offline_catalog(list(regions) if regions else None).catalog
    except CatalogError:  # nothing readable: info.reason already says why
        return {}
    if catalog.metadata.source not in (CatalogSource.CACHE, CatalogSource.STALE_CACHE):
        return {}
    counts: dict[str, list[str]] = {}
    for region, outcome in sorted(catalog.metadata.region_outcomes.items()):
        counts.setdefault(outcome.status.value, []).append(region)
    return counts


def cmd_cache_info(run: Run) -> int:
    store = _file_store_or_fail(run)
    info: CacheInfo = store.info(now=run.now(), max_age=timedelta(hours=24))
    if info.exists and not _on_disk(info):
        info = dataclasses.replace(info, exists=False, reason="no cache file")
    location = info.path
    if not info.exists and location is not None:
        location = _usable_directory(store) / location.name
    by_status = _region_counts(run, info)
    if run.json:
        return emit_json(
            {
                "cache_mode": info.mode.value,
                "path": path_text(location),
                "exists": info.exists,
                "size_bytes": info.size_bytes,
                "retrieved_at": iso(info.retrieved_at),
                "age_seconds": None if info.age is None else int(info.age.total_seconds()),
                "models": info.model_count,
                "regions": list(info.regions),
                "regions_by_status": by_status or None,
                "partial": info.partial,
                "valid": info.valid,
                "reason": info.reason or None,
            }
        )
    rows = [("Location", str(location or "-")), ("Exists", "yes" if info.exists else "no")]
    if info.size_bytes is not None:
        rows.append(("Size", human_size(info.size_bytes)))
    if info.retrieved_at is not None and info.age is not None:
        rows.append(
            ("Retrieved", f"{human_time(info.retrieved_at)} ({describe_age(info.age)} ago)")
        )
    if info.model_count is not None:
        rows.append(("Models", str(info.model_count)))
    width = (stdout_width() or PIPE_WRAP_WIDTH) - 11
    if info.regions:
        ok = by_status.get(RegionStatus.OK.value)
        if ok is not None:
            others = ", ".join(
                f"{len(v)} {k}" for k, v in by_status.items() if k != RegionStatus.OK.value
            )
            label = f"{len(ok)} ok" + (f" ({others}, not listed)" if others else "")
            rows += wrapped(("Regions", f"{label}: {', '.join(ok)}"), width=width)
        else:
            rows += wrapped(
                ("Regions", f"{len(info.regions)}: {', '.join(info.regions)}"), width=width
            )
    if info.exists:
        valid = "yes" if info.valid else f"no ({info.reason})"
        rows.append(("Valid", valid + (" (partial: some regions failed)" if info.partial else "")))
    write_lines(f"{key + ':' if key else '':<11}{value}" for key, value in rows)
    return 0


def cmd_cache_clear(run: Run) -> int:
    store = _file_store_or_fail(run)
    dry = bool(run.args.dry_run)
    # The store warns about each file it leaves; the report below says the same, once (clear()
    # only removes files: every fact it logs is in its ClearReport).
    run.filter.held_logger = "bestehorn_llmmanager"
    try:
        report = store.clear(dry_run=dry)
    finally:
        run.filter.held_logger = None
    paths = [str(p) for p in report]
    kept = [(str(p), why) for p, why in getattr(report, "kept", ())]
    if run.json:
        emit_json(
            {"dry_run": dry, "files": paths, "kept": [{"path": p, "reason": w} for p, w in kept]}
        )
        return 1 if kept and not dry else 0
    if dry:
        write_lines(
            ["Would remove:", *(f"  {p}" for p in paths)] if paths else ["Nothing to remove."]
        )
    else:
        write_lines([f"Files removed: {len(paths)}", *(f"  {p}" for p in paths)])
    if kept:
        write_lines(
            [f"{'Would not remove' if dry else 'Not removed'}: {len(kept)}"]
            + [f"  {p}: {why}" for p, why in kept]
        )
        return 0 if dry else 1
    return 0
