"""Generates the bundled catalog file from a snapshot directory (and, with --live, from AWS).

Run as ``python -m bestehorn_llmmanager.bedrock.catalog.generate --from-snapshot DIR``. The
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

from ._fsutil import write_atomic
from .constants import BUNDLED_FILENAME
from .fileformat import encode, parse_time
from .index import Catalog
from .transform import build_catalog
from .types import FetchResult, RegionAnswer, RegionOutcome, RegionStatus

logger = logging.getLogger(__name__)

#: Where the generator writes by default: the package data inside this source tree.
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "package_data" / BUNDLED_FILENAME

_MODELS_FILE = "list-foundation-models.json"
_PROFILES_FILE = "list-inference-profiles.json"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read snapshot file ({exc})") from None


def read_snapshot(directory: str | os.PathLike[str]) -> FetchResult:
    """Read a snapshot directory (``<region>/list-*.json`` and ``SNAPSHOT.json``) as raw answers."""
    root = Path(directory).expanduser()
    index_file = root / "SNAPSHOT.json"
    if not root.is_dir():
        raise ValueError(f"{root} is not a directory; pass a snapshot directory")
    index = _read_json(index_file) if index_file.exists() else {}
    if "as_of" not in index:
        raise ValueError(f"{index_file} is missing or has no 'as_of' (when AWS answered)")
    retrieved_at = parse_time(index["as_of"])
    regions = index.get("regions") or sorted(p.name for p in root.iterdir() if p.is_dir())
    answers = {}
    for region in regions:
        models = _read_json(root / region / _MODELS_FILE).get("modelSummaries", [])
        profiles_file = root / region / _PROFILES_FILE
        profiles = (
            _read_json(profiles_file).get("inferenceProfileSummaries", [])
            if profiles_file.exists()
            else []
        )
        answers[region] = RegionAnswer(
            region=region,
            outcome=RegionOutcome(region, RegionStatus.OK),
            model_summaries=tuple(models),
            profile_summaries=tuple(profiles),
        )
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bestehorn_llmmanager.bedrock.catalog.generate",
        description="Regenerate the bundled Bedrock catalog.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-snapshot", metavar="DIR", help="a snapshot directory")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        catalog = generate_from_snapshot(args.from_snapshot, args.output)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)  # noqa: T201 - a command-line entry point
        return 1
    print(f"wrote {args.output} ({len(catalog)} models)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
