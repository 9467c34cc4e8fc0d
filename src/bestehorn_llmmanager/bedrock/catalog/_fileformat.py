"""The one catalog file format, shared by the cache and the bundle: encode, decode, validate.

Also the one home of the time format of catalog files (:func:`format_time`, :func:`parse_time`)
and of the size cap both the writer and the reader apply (:data:`MAX_FILE_BYTES`).

Never touches the disk or the network. The file is one JSON object whose last member is the
payload; its SHA-256 covers the payload's exact bytes, so checking it never re-serializes::

    {"format":"bestehorn-llmmanager/bedrock-catalog","schema_version":1,"sha256":"<hex>","payload":{...}}

Decoding is on the warm path, so this module imports no typing, hashlib or pathlib at run time
(the interpreter's built-in SHA-256 costs less to load than OpenSSL's, for files this size).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from itertools import chain
from operator import itemgetter
from types import MappingProxyType

from ..._version import __version__
from ._catalog import Catalog, ModelTable
from ._clock import datetime, timezone
from ._constants import FORMAT_NAME, SCHEMA_VERSION
from ._metadata import CatalogMetadata, CatalogSource, RegionOutcome, RegionStatus
from ._model import AccessMap, ModelInfo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from ..._errors import CatalogFormatError

if sys.version_info >= (3, 12):
    from _sha2 import sha256 as _builtin_sha256
else:
    from _sha256 import sha256 as _builtin_sha256  # type: ignore[import-not-found]  # no stub


def _sha256(data: bytes | memoryview) -> Any:
    """A SHA-256 hash object: OpenSSL's when something already loaded it (about 6x faster on a
    catalog), else the interpreter's built-in one, which costs 0.3 ms per catalog against the
    2.7 ms that importing hashlib (and OpenSSL) costs a fresh process. Same digest either way."""
    openssl = sys.modules.get("_hashlib")
    if openssl is not None:
        return openssl.openssl_sha256(data)
    return _builtin_sha256(data)


__all__ = ["MAX_FILE_BYTES", "decode", "encode", "format_time", "parse_time"]

_PAYLOAD_KEY = b'"payload":'

#: The largest catalog file written or read: a real one is well under a megabyte (the full
#: catalog of every region is about 100 kB), so anything past this is not a catalog. The writer
#: refuses to produce a file the reader would refuse.
MAX_FILE_BYTES = 64 * 1024 * 1024


def format_time(moment: datetime) -> str:
    """UTC ISO-8601 with a ``Z``, to the second: the only time format in catalog files."""
    if moment.tzinfo is None:
        raise ValueError("catalog times must be timezone-aware")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """Parse a catalog time; naive times are rejected rather than guessed."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no timezone")
    return moment.astimezone(timezone.utc)


def _encode_model(model: ModelInfo) -> dict[str, Any]:
    regions = model.regions
    compact = (
        regions
        if isinstance(regions, AccessMap)
        else AccessMap.from_accesses(model.model_id, regions.values())
    )
    entry: dict[str, Any] = {
        "id": model.model_id,
        "name": model.name,
        "provider": model.provider,
        "input": list(model.input_modalities),
        "output": list(model.output_modalities),
        "streaming": model.streaming_supported,
        "lifecycle": model.lifecycle_status,
        "inference_types": list(model.inference_types),
        "direct": " ".join(sorted(compact.direct_regions)),
        "profiles": compact.compact_routes(),
    }
    if compact.overrides:
        entry["order"] = {r: list(ids) for r, ids in sorted(compact.overrides.items())}
    life = [
        None if moment is None else format_time(moment)
        for moment in (
            model.start_of_life_time,
            model.legacy_time,
            model.public_extended_access_time,
            model.end_of_life_time,
        )
    ]
    if any(life):  # most models have no dates: only those that have one carry the field
        entry["life"] = life
    return entry


def encode(catalog: Catalog, *, generated_at: datetime | None = None) -> bytes:
    """Serialize ``catalog`` to the file format (compact, deterministic for equal input).

    ``generated_at`` is when the file is written (default: the catalog's ``retrieved_at``, so
    equal input gives equal bytes). Every AWS account id anywhere in the file (model names,
    providers, lifecycle values, profile ids derived from an ARN, region messages) is masked:
    no file this package writes can carry one. Raises ValueError when the file would exceed
    :data:`MAX_FILE_BYTES` (the reader would refuse it).
    """
    from ..._redact import mask_account_ids

    meta = catalog.metadata
    payload = {
        "retrieved_at": format_time(meta.retrieved_at),
        "generated_at": format_time(generated_at or meta.retrieved_at),
        "package_version": __version__,
        "requested_regions": (
            None if meta.requested_regions is None else list(meta.requested_regions)
        ),
        "regions": {
            # RegionOutcome masks account ids, so a file never carries one.
            region: [o.status.value, o.error_code, o.message]
            for region, o in sorted(meta.region_outcomes.items())
        },
        "stale_regions": sorted(meta.stale_regions),
        "models": [_encode_model(m) for m in catalog.models.values()],
    }
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
    # One pass over the whole serialized payload, after every field is in it: masking field by
    # field would miss the next field someone adds. (ASCII text: escapes cannot hide digits.)
    body = mask_account_ids(text).encode("ascii")
    header = json.dumps(
        {
            "format": FORMAT_NAME,
            "schema_version": SCHEMA_VERSION,
            "sha256": _sha256(body).hexdigest(),
        },
        separators=(",", ":"),
    ).encode("ascii")
    data = header[:-1] + b"," + _PAYLOAD_KEY + body + b"}\n"
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"the catalog file would be {len(data)} bytes, over the {MAX_FILE_BYTES}-byte cap "
            f"that every reader applies ({len(catalog)} models): not a real catalog"
        )
    return data


def _fail(reason: str, path: str | Path | None) -> CatalogFormatError:
    from ..._errors import CatalogFormatError  # only for a bad file: off the warm path
    from ..._redact import mask_account_ids

    # A reason may quote the file (a bad status, a shape error): no account id reaches the
    # error's message, nor the log line that reports it.
    return CatalogFormatError(mask_account_ids(reason), path=path)


_STR_ONLY = frozenset({str})
_LIST_ONLY = frozenset({list})
_BOOL_OR_NONE = frozenset({bool, type(None)})
_STR_OR_NONE = frozenset({str, type(None)})
_EMPTY_ORDER: dict[str, tuple[str, ...]] = {}
_ROUTE_KINDS = frozenset({"R ", "G "})
_STATUSES = {status.value: status for status in RegionStatus}


def _strings(value: Any, what: str) -> list[str]:
    if type(value) is not list or not {*map(type, value)} <= _STR_ONLY:
        raise TypeError(f"{what} must be a list of strings")
    return value


def _opt_str(value: Any, what: str) -> str | None:
    if value is not None and type(value) is not str:
        raise TypeError(f"{what} must be a string or null")
    return value


# Every route item starts "R " or "G " and then an id; the parser splits on any whitespace,
# so extra spaces are harmless and need no scan of their own.
_BAD_ROUTE_ITEM = re.compile(r";(?![RG] [^\s;])")


def _check_routes(routes: Sequence[str]) -> None:
    """Each string reads ``R|G <id> <region>...`` items joined by ``;`` (empty is allowed).

    One C-level regex scan over all strings joined by ``;`` (a regex match per model cost
    more than the JSON parse): with a ``;`` before every item, a bad item is a ``;`` not
    followed by a kind, a space and the first character of an id.
    """
    joined = ";".join(filter(None, routes))
    if joined and _BAD_ROUTE_ITEM.search(";" + joined):
        raise TypeError("profiles must read 'R|G <profile id> <region>...;...'")


_FIELDS = (
    "id",
    "name",
    "provider",
    "input",
    "output",
    "streaming",
    "lifecycle",
    "inference_types",
    "direct",
    "profiles",
)
_ROW = itemgetter(*_FIELDS)  # raises KeyError for a missing field, TypeError for a non-object


def _build_model(
    row: tuple[Any, ...],
    order: Mapping[str, tuple[str, ...]] = _EMPTY_ORDER,
    life: tuple[datetime | None, ...] = (None, None, None, None),
) -> ModelInfo:
    """One validated row (the fields of _FIELDS), its order overrides and lifecycle dates
    (start of life, legacy, public extended access, end of life) as a ModelInfo."""
    (model_id, name, provider, inputs, outputs, streaming, lifecycle, types, direct, routes) = row
    return ModelInfo(
        model_id,
        name,
        provider,
        tuple(inputs),
        tuple(outputs),
        streaming,
        lifecycle,
        tuple(types),
        AccessMap.from_compact(model_id, direct, routes, order),
        *life,
    )


_Labels = tuple[Sequence[str], Sequence[str], Sequence[str]]


def _decode_models(raw: Any) -> tuple[ModelTable, _Labels]:
    """Validate every model entry column by column (C-level passes), and defer building them.

    Returns the lazy id -> ModelInfo table and the id, name and provider columns that the name
    index is built from. Every check happens here, so a bad file never fails later, at query time.
    """
    if type(raw) is not list:
        raise TypeError("models must be a list")
    try:  # _ROW raises TypeError for any entry that is not an object, KeyError for a missing field
        rows = list(map(_ROW, raw))
    except TypeError:
        raise TypeError("a model entry must be an object") from None
    if not rows:
        return ModelTable({}, _build_model), ((), (), ())
    ids, names, providers, inputs, outputs, streaming, lifecycles, types, directs, routes = zip(
        *rows, strict=True
    )
    try:  # str.join raises TypeError at the first item that is not a string: C-level passes.
        "".join(chain(ids, names, providers, lifecycles, directs, routes))
    except TypeError:
        raise TypeError(
            "id, name, provider, lifecycle, direct and profiles must be strings"
        ) from None
    if not (all(ids) and all(names) and all(providers)):
        raise TypeError("model id, name and provider must be non-empty strings")
    table = dict(zip(ids, rows, strict=True))
    if len(table) != len(ids):
        raise ValueError("duplicate model ids")
    if not {*map(type, streaming)} <= _BOOL_OR_NONE:
        raise TypeError("streaming must be true, false or null")
    if not {*map(type, chain(inputs, outputs, types))} <= _LIST_ONLY:
        raise TypeError("input, output and inference_types must be lists of strings")
    try:
        "".join(chain.from_iterable(chain(inputs, outputs, types)))
    except TypeError:
        raise TypeError("input, output and inference_types must be lists of strings") from None
    # Region lists stay strings until first use; only their shape is checked here.
    _check_routes(routes)
    orders: dict[str, Mapping[str, tuple[str, ...]]] = {}
    lives: dict[str, tuple[datetime | None, ...]] = {}
    # Only entries with more fields than a row can carry "order" or "life"; len() is C-level.
    extra = max(map(len, raw)) > len(_FIELDS)
    for entry in raw if extra else ():
        if "life" in entry:
            life = entry["life"]
            if type(life) is not list or len(life) != 4:
                raise TypeError("life must be a list of 4 times or nulls")
            if not {*map(type, life)} <= _STR_OR_NONE:
                raise TypeError("life must be a list of 4 times or nulls")
            lives[entry["id"]] = tuple(None if t is None else parse_time(t) for t in life)
        if "order" in entry:
            if type(entry["order"]) is not dict:
                raise TypeError("order must be an object")
            orders[entry["id"]] = {
                region: tuple(_strings(ranked, "order"))
                for region, ranked in entry["order"].items()
            }

    def build(row: tuple[Any, ...]) -> ModelInfo:
        model_id = row[0]
        return _build_model(
            row, orders.get(model_id, _EMPTY_ORDER), lives.get(model_id, (None, None, None, None))
        )

    return ModelTable(table, build), (ids, names, providers)


_OK_ROW = ["ok", None, None]
_OK_OUTCOMES: dict[str, RegionOutcome] = {}  # bounded by the region names in use


def _decode_outcomes(raw: Any) -> Mapping[str, RegionOutcome]:
    if type(raw) is not dict:
        raise TypeError("regions must be an object")
    outcomes = {}
    for region, value in raw.items():
        if value == _OK_ROW and type(region) is str:
            # The common case: reuse one immutable outcome per region instead of building it.
            ok = _OK_OUTCOMES.get(region)
            if ok is None:
                ok = _OK_OUTCOMES[region] = RegionOutcome(region, RegionStatus.OK)
            outcomes[region] = ok
            continue
        if type(value) is not list or len(value) != 3:
            raise TypeError("a region outcome must be [status, error_code, message]")
        status = _STATUSES.get(value[0]) if type(value[0]) is str else None
        if status is None:
            raise ValueError(f"unknown region status {value[0]!r}")
        outcomes[region] = RegionOutcome(
            region,
            status,
            _opt_str(value[1], "error_code"),
            _opt_str(value[2], "message"),
        )
    return MappingProxyType(outcomes)


def decode(
    data: bytes,
    *,
    source: CatalogSource = CatalogSource.CACHE,
    path: str | Path | None = None,
    cache_path: Path | None = None,
) -> Catalog:
    """Validate and decode a catalog file; every defect raises CatalogFormatError."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise _fail(f"expected bytes, got {type(data).__name__}", path)
    if type(data) is not bytes:
        data = bytes(data)
    if len(data) > MAX_FILE_BYTES:
        raise _fail(f"{len(data)} bytes is over the {MAX_FILE_BYTES}-byte cap of a catalog", path)
    if data[:1] != b"{":
        # A catalog file is a JSON object (encode() writes its marker first): anything else is
        # refused unparsed, so junk such as "[[[[..." never drives the parser into recursion
        # as deep as the interpreter's stack (where a finalizer that runs meanwhile fails).
        if not data.strip():
            raise _fail("the file is empty", path)
        raise _fail("not a bestehorn-llmmanager catalog file (not a JSON object)", path)
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        if not data.strip():
            raise _fail("the file is empty", path) from None
        raise _fail(f"not JSON or truncated ({exc})", path) from None
    except RecursionError:  # "[[[[..." deeper than the interpreter's stack: not a catalog
        raise _fail("JSON nested too deeply", path) from None
    if type(document) is not dict or document.get("format") != FORMAT_NAME:
        raise _fail("not a bestehorn-llmmanager catalog file (no format marker)", path)
    version = document.get("schema_version")
    if version != SCHEMA_VERSION or type(version) is not int:
        newer = isinstance(version, int) and version > SCHEMA_VERSION
        hint = "; upgrade bestehorn-llmmanager" if newer else "; it will be regenerated"
        raise _fail(f"schema version {version!r}, this version reads {SCHEMA_VERSION}{hint}", path)
    start = data.find(_PAYLOAD_KEY)
    end = data.rfind(b"}")
    if start < 0 or end <= start or "payload" not in document:
        raise _fail("no payload", path)
    digest = _sha256(memoryview(data)[start + len(_PAYLOAD_KEY) : end]).hexdigest()
    if digest != document.get("sha256"):
        raise _fail("checksum mismatch (the file is corrupt or was edited)", path)
    payload = document["payload"]
    try:
        if type(payload) is not dict:
            raise TypeError("payload must be an object")
        requested = payload["requested_regions"]
        metadata = CatalogMetadata(
            source=source,
            retrieved_at=parse_time(payload["retrieved_at"]),
            generated_at=parse_time(payload["generated_at"]),
            package_version=_opt_str(payload["package_version"], "package_version"),
            schema_version=version,
            region_outcomes=_decode_outcomes(payload["regions"]),
            requested_regions=None if requested is None else tuple(_strings(requested, "regions")),
            stale_regions=tuple(_strings(payload["stale_regions"], "stale_regions")),
            cache_path=cache_path,
        )
        models, labels = _decode_models(payload["models"])
    # OverflowError: a time valid in its own offset but outside datetime's range in UTC.
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise _fail(f"unexpected shape: {type(exc).__name__}: {exc}", path) from None
    return Catalog(models, metadata, labels=labels)
