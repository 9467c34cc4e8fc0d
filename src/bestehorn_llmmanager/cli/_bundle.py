"""The ``bundle`` command group: generate, verify and compare bundled catalog files.

Calls the library's generator, decoder and diff engine and renders their results (the Markdown
summary of a diff is rendered here). Reads only regular files, so a FIFO or a device given as a
catalog file is refused instead of blocking.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..bedrock.catalog import (
    CatalogDiff,
    CatalogError,
    CatalogSource,
    catalog_diff,
    decode,
    find_account_ids,
    generate_from_snapshot,
    generate_live,
    read_bundled_bytes,
    source_checkout_bundle,
)
from ._progress import fetch_progress
from ._render import PROG, emit_json, err, iso, write_lines
from ._run import Failure, Run, outcome_summary

#: The largest catalog file read (the reader's own cap is far below this).
MAX_READ_BYTES = 256 * 1024 * 1024


def cmd_bundle_generate(run: Run) -> int:
    args = run.args
    if args.output is not None:
        output = Path(args.output)
    else:
        checkout = source_checkout_bundle()
        if checkout is None:
            raise Failure(
                "bundle generate needs --output here: this is an installed package, and its "
                "bundled catalog is replaced by upgrading it, not by regenerating it",
                "pass --output FILE (or run it in a source checkout to regenerate the bundle)",
            )
        output = checkout
    try:
        if args.live:
            if args.offline:
                raise Failure("--live calls the AWS APIs; --offline forbids it", "drop --offline")
            with fetch_progress(run.regions, json=run.json) as progress:
                catalog = generate_live(
                    output,
                    regions=run.regions,
                    force=args.force,
                    session=run.session(),
                    on_event=progress,
                )
        else:
            if run.regions is not None:
                raise Failure(
                    "--regions applies to --live; a snapshot holds its own regions",
                    "drop --regions",
                )
            catalog = generate_from_snapshot(args.from_snapshot, output, force=args.force)
    except OSError as exc:
        if not _is_output(exc.filename, output):
            raise
        raise Failure(
            f"cannot write {output}: {exc.strerror or exc}",
            "pass --output with a path in a writable directory",
        ) from None
    leaked = account_ids(output.read_bytes())
    if leaked:
        raise Failure(
            f"{output} contains what look like AWS account IDs ({', '.join(leaked[:3])})",
            "do not publish this file; report it as a bug",
        )
    meta = catalog.metadata
    if run.json:
        return emit_json(
            {
                "output": str(output),
                "models": len(catalog),
                "retrieved_at": iso(meta.retrieved_at),
                "regions_ok": list(meta.regions_ok),
                "regions_unavailable": dict(meta.regions_unavailable),
                "regions_failed": dict(meta.regions_failed),
            }
        )
    write_lines(
        [
            f"Wrote {output}: {len(catalog)} models, data from {iso(meta.retrieved_at)}, "
            f"{outcome_summary(meta)}."
        ]
    )
    return 0


def _is_output(filename: object, output: Path) -> bool:
    """Whether an OSError's ``filename`` is the output, a file beside it (the temporary file of
    the atomic write) or one of its directories, rather than the input."""
    if not isinstance(filename, (str, os.PathLike)):
        return False
    path, out = Path(os.path.abspath(filename)), Path(os.path.abspath(output))
    return path.parent == out.parent or path in out.parents


def account_ids(data: bytes) -> list[str]:
    """12-digit numbers anywhere in a catalog file except its checksum."""
    try:
        document = json.loads(data)
    except ValueError:
        return []
    if isinstance(document, dict):
        document.pop("sha256", None)
    return find_account_ids(json.dumps(document))


def read_catalog_file(path: Path) -> bytes:
    """The bytes of a regular file; a FIFO, device or directory is refused without blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Failure(f"cannot read {path}: {exc.strerror or exc}", "pass a catalog file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Failure(f"cannot read {path}: it is not a regular file", "pass a catalog file")
        if info.st_size > MAX_READ_BYTES:
            raise Failure(
                f"cannot read {path}: {info.st_size} bytes is far too large for a catalog file",
                "pass a catalog file",
            )
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise Failure(f"cannot read {path}: {exc.strerror or exc}", "pass a catalog file") from None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class _Check:
    name: str
    ok: bool
    detail: str


def cmd_bundle_verify(run: Run) -> int:
    path: Path | None = run.args.file
    installed = path is None
    label = str(path) if path is not None else "the installed bundle"
    data = read_catalog_file(path) if path is not None else read_bundled_bytes()
    max_days = float(run.args.max_age_days)
    now = run.now()
    checks: list[_Check] = []
    catalog = None
    try:
        catalog = decode(data, source=CatalogSource.BUNDLED, path=path)
        checks.append(_Check("format", True, "schema version and checksum match"))
    except CatalogError as exc:
        checks.append(_Check("format", False, str(exc)))
    if catalog is not None:
        meta = catalog.metadata
        age_days = (now - meta.retrieved_at).total_seconds() / 86400
        checks.append(
            _Check(
                "age",
                0 <= age_days <= max_days or -1 < age_days < 0,
                f"data from {iso(meta.retrieved_at)}: {age_days:.1f} days old (limit {max_days:g})",
            )
        )
        checks.append(_Check("models", len(catalog) > 0, f"{len(catalog)} models"))
        failed = dict(meta.regions_failed)
        checks.append(
            _Check(
                "regions",
                bool(meta.regions_ok) and not failed,
                outcome_summary(meta)
                + (": " + ", ".join(f"{r} ({w})" for r, w in failed.items()) if failed else ""),
            )
        )
    leaked = account_ids(data)
    checks.append(
        _Check(
            "account ids",
            not leaked,
            "none found" if not leaked else "found: " + ", ".join(leaked[:3]),
        )
    )
    ok = all(c.ok for c in checks)
    if run.json:
        emit_json(
            {
                "file": label,
                "ok": ok,
                "max_age_days": max_days,
                "retrieved_at": iso(catalog.metadata.retrieved_at) if catalog else None,
                "models": len(catalog) if catalog else None,
                "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
            }
        )
    else:
        write_lines(
            [f"Verifying {label}"]
            + [f"  {'ok' if c.ok else 'FAIL':<5} {c.name + ':':<13}{c.detail}" for c in checks]
        )
    if not ok:
        bad = [c for c in checks if not c.ok]
        if installed and source_checkout_bundle() is None:
            hint = (
                "upgrade the package for a newer bundle (pip install -U bestehorn-llmmanager); "
                f"`{PROG} refresh` with AWS credentials gives live data meanwhile"
            )
        elif installed:
            hint = f"regenerate it with `{PROG} bundle generate --live` (needs AWS credentials)"
        else:
            hint = (
                f"regenerate it with `{PROG} bundle generate --live --output {path}` "
                "(needs AWS credentials)"
            )
        err(f"{label} failed: {', '.join(c.name for c in bad)}", hint)
        return 1
    return 0


def cmd_bundle_diff(run: Run) -> int:
    old, new = (
        decode(read_catalog_file(p), source=CatalogSource.BUNDLED, path=p)
        for p in (run.args.old, run.args.new)
    )
    diff = catalog_diff(old, new)
    if run.json:
        return emit_json(diff.as_dict())
    write_lines(diff_markdown(diff))
    return 0


def _md(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value)) or "-"
    elif value is None:
        value = "-"
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    return str(value).replace("|", "\\|")


def _access_text(access: Mapping[str, Any]) -> str:
    parts = []
    if access["direct_model_id"]:
        parts.append("direct")
    parts += [f"`{p}`" for p in access["regional_profile_ids"]]
    if access["global_profile_id"]:
        parts.append(f"`{access['global_profile_id']}`")
    return ", ".join(parts) or "-"


def diff_markdown(value: CatalogDiff) -> list[str]:
    """The diff as a PR-ready Markdown summary."""
    diff = value.as_dict()
    old, new = diff["old"], diff["new"]
    lines = [
        "## Bedrock catalog changes",
        "",
        "| | data from | models | regions ok | unavailable | failed |",
        "|---|---|---|---|---|---|",
    ]
    for label, side in (("old", old), ("new", new)):
        lines.append(
            f"| {label} | {side['retrieved_at']} | {side['models']} | {side['regions_ok']} "
            f"| {side['regions_unavailable']} | {side['regions_failed']} |"
        )
    if value.is_empty:
        lines += ["", "No changes to models, access or regions."]
        return lines
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in value.counts().items())
    lines += ["", f"**Summary:** {counts}."]
    for key, title in (("models_added", "Models added"), ("models_removed", "Models removed")):
        if diff[key]:
            lines += [
                "",
                f"### {title} ({len(diff[key])})",
                "",
                "| Model | Provider | ID | Regions |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {_md(m['name'])} | {_md(m['provider'])} | `{m['model_id']}` "
                f"| {len(m['regions'])} |"
                for m in diff[key]
            ]
    if diff["models_changed"]:
        lines += ["", f"### Models changed ({len(diff['models_changed'])})", ""]
        lines += ["| ID | Field | Old | New |", "|---|---|---|---|"]
        for item in diff["models_changed"]:
            for field_name, (before, after) in item["changes"].items():
                lines.append(
                    f"| `{item['model_id']}` | {field_name} | {_md(before)} | {_md(after)} |"
                )
    for key, title in (("access_added", "Access added"), ("access_removed", "Access removed")):
        if diff[key]:
            lines += ["", f"### {title}: (model, region) pairs ({len(diff[key])})", ""]
            lines += ["| ID | Region | Access |", "|---|---|---|"]
            lines += [
                f"| `{a['model_id']}` | {a['region']} | {_access_text(a)} |" for a in diff[key]
            ]
    if diff["access_changed"]:
        lines += ["", f"### Access changed ({len(diff['access_changed'])})", ""]
        lines += ["| ID | Region | Old | New |", "|---|---|---|---|"]
        lines += [
            f"| `{a['model_id']}` | {a['region']} | {_access_text(a['old'])} "
            f"| {_access_text(a['new'])} |"
            for a in diff["access_changed"]
        ]
    region_lines = []
    if diff["regions_added"]:
        region_lines.append("- added: " + ", ".join(diff["regions_added"]))
    if diff["regions_removed"]:
        region_lines.append("- removed: " + ", ".join(diff["regions_removed"]))
    for item in diff["regions_status_changed"]:
        why = f" ({_md(item['reason'])})" if item["reason"] else ""
        before = item["old"] or "not asked"
        after = item["new"] or "not asked"
        region_lines.append(f"- {item['region']}: {before} -> {after}{why}")
    if region_lines:
        lines += ["", "### Regions", "", *region_lines]
    return lines
