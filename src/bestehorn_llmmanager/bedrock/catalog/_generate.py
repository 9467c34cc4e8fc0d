"""Generates a bundled catalog file from a snapshot directory or from the live AWS APIs.

Library functions only: ``bedrock-catalog bundle generate`` is the one command that runs them.
The output is deterministic: the same snapshot gives byte-identical output. Both sources pass the
same gates before anything is written (no failed region, no shrink past MAX_MODEL_SHRINK), and a
refused run writes nothing.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..._errors import CatalogError
from ._catalog import Catalog
from ._constants import BUNDLED_FILENAME, MAX_MODEL_SHRINK, shrinks
from ._fileformat import decode, encode, parse_time
from ._regions import validate_region
from ._store._posix import write_atomic
from ._transform import build_catalog
from ._types import FetchResult, RegionAnswer, RegionOutcome, RegionStatus

logger = logging.getLogger(__name__)

#: The bundled file inside this package (in a source checkout, the file that gets released).
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "package_data" / BUNDLED_FILENAME


def source_checkout_bundle() -> Path | None:
    """The bundled file when this package runs from a source checkout, else None.

    A checkout is ``<root>/src/bestehorn_llmmanager/...`` with the project's pyproject.toml at
    ``<root>``; an installed package (site-packages) is never one, so the generator never
    overwrites the bundle of an installation by default.
    """
    package = Path(__file__).resolve().parents[2]  # .../bestehorn_llmmanager
    root = package.parent.parent
    if package.parent.name != "src":
        return None
    try:
        pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return None
    return DEFAULT_OUTPUT if 'name = "bestehorn-llmmanager"' in pyproject else None


#: The generator refuses to write (unless forced) when the model count drops by more than this
#: share against the file it replaces.

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
    directory: str | os.PathLike[str], output: Path, *, force: bool = False
) -> Catalog:
    """Build the catalog of a snapshot directory and write it to ``output``.

    Refuses (ValueError, nothing written) unless ``force`` when the model count shrinks by more
    than MAX_MODEL_SHRINK against the file at ``output``, or when there is no model at all.
    """
    result = read_snapshot(directory)
    catalog = build_catalog(result)
    _gate(catalog, result, Path(output), force=force)
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
    output: Path,
    *,
    regions: Sequence[str] | None = None,
    force: bool = False,
    session: Any = None,
    on_event: Any = None,
    random: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Catalog:
    """Fetch the regions from AWS, build the catalog and write it to ``output``.

    ``session`` is a boto3 Session (e.g. for a named profile); None uses the default chain.
    ``on_event`` (a ``FetchEvent`` callback), ``random`` and ``sleep`` (the retry backoff's;
    None: the real ones) are passed to ``fetch_regions``. Refuses
    (ValueError, nothing written) unless ``force`` when a region ended ``failed`` or the model
    count shrank by more than MAX_MODEL_SHRINK; ``unavailable`` regions are recorded. Account
    ids are never written: the transform keeps profile ids, not profile ARNs.
    """
    from ._fetch import fetch_regions

    result = fetch_regions(regions, session=session, on_event=on_event, random=random, sleep=sleep)
    catalog = build_catalog(result)
    _gate(catalog, result, Path(output), force=force)
    size = write_bundle(
        catalog, Path(output), generated_at=generated_time(datetime.now(timezone.utc))
    )
    logger.info("wrote %s: %d models, %d bytes", output, len(catalog), size)
    return catalog


def _gate(catalog: Catalog, result: FetchResult, output: Path, *, force: bool) -> None:
    """The checks both sources pass before writing: raise ValueError naming each problem."""
    problems = [
        f"region {region} failed ({outcome.reason})"
        for region, outcome in sorted(result.outcomes.items())
        if outcome.status is RegionStatus.FAILED
    ]
    previous = previous_model_count(output)
    if previous and shrinks(len(catalog), previous):
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
