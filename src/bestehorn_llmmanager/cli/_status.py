"""The ``refresh`` and ``status`` commands: fetch now, or say what is in use without fetching.

``status`` never calls AWS unless ``--refresh`` is given: it reports what the next command would
use (the cache, an expired cache, or the bundle), read offline.
"""

from __future__ import annotations

from ..bedrock.catalog import CatalogSource, describe_age, load_bundled
from ._progress import fetch_progress
from ._render import PROG, emit_json, human_time, iso, path_text, write_lines
from ._run import Failure, Run, outcome_summary


def cmd_refresh(run: Run) -> int:
    if run.args.offline:
        raise Failure("refresh calls the AWS APIs; --offline forbids it", "drop --offline")
    return _refresh(run, report=True)


def _refresh(run: Run, *, report: bool) -> int:
    catalog = run.catalog()
    # The command reports region failures itself, once; the library's warning would repeat it.
    run.filter.hold_region_failures = True
    with fetch_progress(run.regions, json=run.json) as progress:
        meta = catalog.refresh(on_event=progress)
    failed = dict(meta.regions_failed)
    models = len(catalog.catalog)
    if not report:
        return 1 if failed else 0
    if run.json:
        emit_json(
            {
                "source": meta.source.value,
                "retrieved_at": iso(meta.retrieved_at),
                "cache_path": path_text(meta.cache_path),
                "models": models,
                "regions_ok": list(meta.regions_ok),
                "regions_unavailable": dict(meta.regions_unavailable),
                "regions_failed": failed,
                "stale_regions": list(meta.stale_regions),
            }
        )
    else:
        lines = [f"Refreshed: {models} models, {outcome_summary(meta)}."]
        # Regions the account cannot use usually share one reason (opt-in, no permission):
        # one line per reason, not one per region.
        by_reason: dict[str, list[str]] = {}
        for region, reason in meta.regions_unavailable.items():
            by_reason.setdefault(reason, []).append(region)
        for reason, regions in by_reason.items():
            if len(regions) == 1:
                lines.append(f"  unavailable  {regions[0]}: {reason}")
            else:
                lines.append(
                    f"  unavailable  {len(regions)} regions ({reason}): {' '.join(regions)}"
                )
        stale = set(meta.stale_regions)
        for region, reason in failed.items():
            kept = "previous data kept" if region in stale else "no previous data"
            lines.append(f"  failed       {region}: {reason} ({kept})")
        where = meta.cache_path or "not cached (cache mode " + str(run.args.cache_mode) + ")"
        lines.append(f"Cache: {where}")
        write_lines(lines)
    if failed:
        # Exit 1 for scripts; the failure itself was reported once, above.
        from ._render import note

        note(
            f"hint: run `{PROG} refresh` again later for {', '.join(failed)}; "
            "failed regions are retried within the hour"
        )
        return 1
    return 0


def cmd_status(run: Run) -> int:
    if run.args.refresh:
        if run.args.offline:
            raise Failure("status --refresh calls the AWS APIs; --offline forbids it", "drop one")
        _refresh(run, report=False)
        catalog = run.catalog().catalog
    else:
        # Offline: what the next command would use, without fetching or writing anything.
        catalog = run.catalog(offline=True).catalog
    meta = catalog.metadata
    now = run.now()
    info = run.catalog().store.info(now=now)
    bundled = load_bundled().metadata
    if meta.source is CatalogSource.BUNDLED and not run.args.offline and not run.args.refresh:
        reason = "no usable cache; the next list or show fetches from the AWS API if it can"
    elif meta.source is CatalogSource.STALE_CACHE and not run.args.refresh:
        reason = "the cache has expired; the next list or show refreshes it if it can"
    elif meta.source in (CatalogSource.BUNDLED, CatalogSource.STALE_CACHE):
        reason = run.fallback_reason(meta)
    else:
        reason = ""
    cache_path = meta.cache_path or info.path
    if run.json:
        return emit_json(
            {
                "source": meta.source.value,
                "retrieved_at": iso(meta.retrieved_at),
                "age_seconds": int((now - meta.retrieved_at).total_seconds()),
                "reason": reason or None,
                "models": len(catalog),
                "regions_ok": list(meta.regions_ok),
                "regions_unavailable": dict(meta.regions_unavailable),
                "regions_failed": dict(meta.regions_failed),
                "stale_regions": list(meta.stale_regions),
                "cache_mode": str(run.args.cache_mode),
                "cache_path": path_text(cache_path),
                "cache_exists": info.exists,
                "bundle_retrieved_at": iso(bundled.retrieved_at),
                "bundle_age_days": round((now - bundled.retrieved_at).total_seconds() / 86400, 2),
                "package_version": _version(),
            }
        )
    source = meta.source.value + (f": {reason}" if reason else "")
    rows = [
        ("source", source),
        (
            "retrieved at",
            f"{human_time(meta.retrieved_at)} ({describe_age(now - meta.retrieved_at)} ago)",
        ),
        ("models", str(len(catalog))),
        ("regions", outcome_summary(meta)),
        ("cache mode", str(run.args.cache_mode)),
        ("cache path", f"{cache_path or '-'}{'' if info.exists else ' (no cache file)'}"),
        (
            "bundle",
            f"data from {human_time(bundled.retrieved_at)} "
            f"({describe_age(now - bundled.retrieved_at)} old), package {_version()}",
        ),
    ]
    write_lines(f"{key + ':':<14}{value}" for key, value in rows)
    return 0


def _version() -> str:
    from .. import __version__

    return __version__
