"""Generates the bundled catalog file from a snapshot directory (and, with --live, from AWS).

Run as ``python -m bestehorn_llmmanager.bedrock.catalog._generate --from-snapshot DIR``. The
output is deterministic: the same snapshot gives byte-identical output.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..._errors import CatalogError
from ._catalog import Catalog
from ._constants import BUNDLED_FILENAME
from ._fileformat import decode, encode, parse_time
from ._fsutil import write_atomic
from ._regions import validate_region
from ._transform import build_catalog
from ._types import FetchResult, RegionAnswer, RegionOutcome, RegionStatus

logger = logging.getLogger(__name__)

#: Where the generator writes by default: the package data inside this source tree.
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "package_data" / BUNDLED_FILENAME

#: --live refuses to write (unless forced) when the model count drops by more than this share
#: against the file it replaces (by default the bundled catalog in this source tree).
MAX_MODEL_SHRINK = 0.20

_MODELS_FILE = "list-foundation-models.json"
_PROFILES_FILE = "list-inference-profiles.json"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:
        raise ValueError(f"{path}: cannot read snapshot file ({exc})") from None


def _read_list(path: Path, key: str) -> list[Any]:
    """The ``key`` list of one snapshot file; a missing or malformed list is a clear error."""
    body = _read_json(path)
    entries = body.get(key) if isinstance(body, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a JSON object with a {key!r} list")
    return entries


def read_snapshot(directory: str | os.PathLike[str]) -> FetchResult:
    """Read a snapshot directory (``<region>/list-*.json`` and ``SNAPSHOT.json``) as raw answers."""
    root = Path(directory).expanduser()
    index_file = root / "SNAPSHOT.json"
    if not root.is_dir():
        raise ValueError(f"{root} is not a directory; pass a snapshot directory")
    index = _read_json(index_file) if index_file.exists() else {}
    as_of = index.get("as_of") if isinstance(index, dict) else None
    if not isinstance(as_of, str):
        raise ValueError(f"{index_file} is missing or has no 'as_of' (when AWS answered)")
    try:
        retrieved_at = parse_time(as_of)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{index_file}: 'as_of' is not a timezone-aware time ({exc})") from None
    regions = index.get("regions") or sorted(p.name for p in root.iterdir() if p.is_dir())
    if not isinstance(regions, list) or not all(isinstance(r, str) for r in regions):
        raise ValueError(f"{index_file}: 'regions' must be a list of region names")
    answers = {}
    for region in regions:
        validate_region(region, argument=f"{index_file}: regions")
        models = _read_list(root / region / _MODELS_FILE, "modelSummaries")
        profiles_file = root / region / _PROFILES_FILE
        profiles = (
            _read_list(profiles_file, "inferenceProfileSummaries") if profiles_file.exists() else []
        )
        answers[region] = RegionAnswer(
            region=region,
            outcome=RegionOutcome(region, RegionStatus.OK),
            model_summaries=tuple(models),
            profile_summaries=tuple(profiles),
        )
    if not answers:
        raise ValueError(f"{root} holds no region directories; pass a snapshot directory")
    return FetchResult(retrieved_at, MappingProxyType(answers), None)


def generated_time(fallback: datetime) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else ``fallback``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return fallback


def write_bundle(catalog: Catalog, output: Path, *, generated_at: datetime) -> int:
    """Encode and write atomically (0644: the bundle is public data); return the size."""
    data = encode(catalog, generated_at=generated_at)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(output, data, mode=0o644)
    return len(data)


def generate_from_snapshot(
    directory: str | os.PathLike[str], output: Path = DEFAULT_OUTPUT
) -> Catalog:
    """Build the catalog of a snapshot directory and write it to ``output``."""
    result = read_snapshot(directory)
    catalog = build_catalog(result)
    size = write_bundle(catalog, Path(output), generated_at=generated_time(result.retrieved_at))
    logger.info("wrote %s: %d models, %d bytes", output, len(catalog), size)
    return catalog


def previous_model_count(output: Path) -> int | None:
    """Models in the catalog file about to be replaced; None when there is none (or unreadable)."""
    if not output.exists():
        return None
    try:
        return len(decode(output.read_bytes(), path=output))
    except (OSError, CatalogError) as exc:
        logger.warning("cannot compare the model count with %s: %s", output, exc)
        return None


def generate_live(
    output: Path = DEFAULT_OUTPUT,
    *,
    regions: Sequence[str] | None = None,
    force: bool = False,
) -> Catalog:
    """Fetch every region from AWS, build the catalog and write it to ``output``.

    Refuses (ValueError, nothing written) unless ``force`` when a region ended ``failed`` or the
    model count shrank by more than MAX_MODEL_SHRINK; ``unavailable`` regions are recorded.
    Account ids are never written: the transform keeps profile ids, not profile ARNs.
    """
    from ._fetch import fetch_regions

    result = fetch_regions(regions)
    catalog = build_catalog(result)
    problems = [
        f"region {region} failed ({outcome.reason})"
        for region, outcome in sorted(result.outcomes.items())
        if outcome.status is RegionStatus.FAILED
    ]
    previous = previous_model_count(Path(output))
    if previous and len(catalog) < previous * (1 - MAX_MODEL_SHRINK):
        problems.append(
            f"the model count would shrink from {previous} to {len(catalog)} "
            f"(more than {MAX_MODEL_SHRINK:.0%})"
        )
    elif not catalog.models:
        problems.append("no region answered with any model")
    if problems and not force:
        raise ValueError(
            f"not writing {output}: " + "; ".join(problems) + ". Retry later, or pass --force"
        )
    for problem in problems:
        logger.warning("writing anyway (--force): %s", problem)
    size = write_bundle(
        catalog, Path(output), generated_at=generated_time(datetime.now(timezone.utc))
    )
    logger.info("wrote %s: %d models, %d bytes", output, len(catalog), size)
    return catalog


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bestehorn_llmmanager.bedrock.catalog._generate",
        description="Regenerate the bundled Bedrock catalog.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-snapshot", metavar="DIR", help="a snapshot directory")
    source.add_argument(
        "--live", action="store_true", help="call the AWS APIs (default credentials chain)"
    )
    parser.add_argument(
        "--regions", nargs="+", metavar="REGION", help="with --live: only these regions"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --live: write even if a region failed or the model count shrank",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.live and (args.regions or args.force):
        parser.error("--regions and --force only apply to --live")
    try:
        if args.live:
            catalog = generate_live(args.output, regions=args.regions, force=args.force)
        else:
            catalog = generate_from_snapshot(args.from_snapshot, args.output)
    except (ValueError, CatalogError) as exc:
        print(f"error: {exc}", file=sys.stderr)  # noqa: T201 - a command-line entry point
        return 1
    print(f"wrote {args.output} ({len(catalog)} models)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
