"""The catalog file format (issue 2, section 6): exact round trips, and every defect rejected
with CatalogFormatError, never another exception."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bestehorn_llmmanager.bedrock.catalog import (
    CatalogError,
    CatalogFormatError,
    CatalogSource,
    ModelAccess,
    ModelInfo,
    RegionStatus,
    build_catalog,
)
from bestehorn_llmmanager.bedrock.catalog._catalog import Catalog
from bestehorn_llmmanager.bedrock.catalog._constants import FORMAT_NAME, SCHEMA_VERSION
from bestehorn_llmmanager.bedrock.catalog._fileformat import _check_routes, decode, encode
from bestehorn_llmmanager.bedrock.catalog._types import CatalogMetadata, RegionOutcome
from tests.core_worlds import AS_OF, answer, catalog_of, fm, profile, world

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET = "anthropic.claude-sonnet-4-20250514-v1:0"
GENERATED = datetime(2026, 10, 11, 12, 30, tzinfo=timezone.utc)
# Deterministic (fixed seed, no example database) and bounded: the file runs in seconds.
BOUNDED = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _catalog() -> Catalog:
    return catalog_of(
        answer(
            "us-east-1",
            [
                fm(HAIKU, "Claude 3 Haiku", inputs=["TEXT", "IMAGE"]),
                fm(f"{HAIKU}:200k", "Claude 3 Haiku", types=["PROVISIONED"]),
                fm(SONNET, "Claude Sonnet 4 \u2013 \u00e9t\u00e9", types=["INFERENCE_PROFILE"]),
            ],
            [
                profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"]),
                profile(f"amer.{SONNET}", SONNET, ["us-east-1", "us-west-2", "ca-central-1"]),
                profile(f"global.{SONNET}", SONNET, ["us-east-1"], is_global=True),
            ],
        ),
        answer("us-west-2", [fm(HAIKU, "Claude 3 Haiku", streaming=None)]),
        answer("eu-west-3", status=RegionStatus.FAILED, error_code="Throttling", message="slow"),
        answer("me-south-1", status=RegionStatus.UNAVAILABLE, error_code="OptInRequired"),
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return _catalog()


@pytest.fixture(scope="module")
def data(catalog: Catalog) -> bytes:
    return encode(catalog, generated_at=GENERATED)


def assert_same_catalog(decoded: Catalog, original: Catalog) -> None:
    assert list(decoded.models) == list(original.models)
    for model_id, model in original.models.items():
        again = decoded.models[model_id]
        assert again == model
        assert sorted(again.regions) == sorted(model.regions)
        for region in model.regions:
            assert again.regions[region] == model.regions[region]
    a, b = decoded.metadata, original.metadata
    assert a.retrieved_at == b.retrieved_at
    assert dict(a.region_outcomes) == dict(b.region_outcomes)
    assert a.requested_regions == b.requested_regions
    assert a.stale_regions == b.stale_regions


def reseal(payload: Any, **header: Any) -> bytes:
    """A file whose checksum is right for ``payload``: only the shape can be wrong."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    head = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION}
    head.update(header)
    head.setdefault("sha256", hashlib.sha256(body).hexdigest())
    return json.dumps(head, separators=(",", ":")).encode()[:-1] + b',"payload":' + body + b"}"


def payload_of(data: bytes) -> dict[str, Any]:
    payload = json.loads(data)["payload"]
    assert isinstance(payload, dict)
    return payload


def rejects(data: bytes, match: str | None = None) -> CatalogFormatError:
    with pytest.raises(CatalogFormatError, match=match) as caught:
        decode(data)
    return caught.value


# --- round trip ------------------------------------------------------------------------------


def test_encode_then_decode_gives_the_same_catalog(catalog: Catalog, data: bytes) -> None:
    decoded = decode(data)

    assert_same_catalog(decoded, catalog)
    meta = decoded.metadata
    assert meta.generated_at == GENERATED
    assert meta.schema_version == SCHEMA_VERSION
    assert meta.package_version
    assert meta.source is CatalogSource.CACHE
    assert meta.regions_failed == {"eu-west-3": "Throttling: slow"}


def test_decoded_catalog_answers_queries_like_the_original(catalog: Catalog, data: bytes) -> None:
    decoded = decode(data)

    for name in ("Claude 3 Haiku", f"us.{SONNET}", SONNET):
        for region in ("us-east-1", "us-west-2", "eu-west-3"):
            assert decoded.get(name, region) == catalog.get(name, region)
    assert decoded.list_models() == catalog.list_models()
    assert decoded.regions() == catalog.regions()


def test_encoding_is_deterministic_ascii_and_ends_with_a_newline(catalog: Catalog) -> None:
    one = encode(catalog, generated_at=GENERATED)
    two = encode(_catalog(), generated_at=GENERATED)

    assert one == two
    assert one.isascii() and one.endswith(b"}\n")
    assert encode(decode(one), generated_at=GENERATED) == one


def test_file_carries_every_required_field(data: bytes) -> None:
    document = json.loads(data)
    payload = document["payload"]

    assert document["format"] == FORMAT_NAME
    assert document["schema_version"] == SCHEMA_VERSION
    assert len(document["sha256"]) == 64
    assert payload["retrieved_at"] == "2026-10-10T00:00:00Z"
    assert payload["generated_at"] == "2026-10-11T12:30:00Z"
    assert payload["package_version"]
    assert payload["regions"]["me-south-1"] == ["unavailable", "OptInRequired", None]
    assert isinstance(payload["models"], list)


def test_encoding_does_not_repeat_per_region_nulls(catalog: Catalog, data: bytes) -> None:
    # Nulls only where a model or a region outcome lacks a value, never per (model, region).
    outcomes = len(catalog.metadata.region_outcomes)
    assert data.count(b"null") <= len(catalog) + 2 * outcomes


def test_catalog_with_explicit_region_dicts_round_trips_with_disagreeing_orders() -> None:
    # Two regions rank the same two profiles in opposite orders; a third lists a global only.
    accesses = {
        "us-east-1": ModelAccess("m.x", "us-east-1", "m.x", "a.m.x", ("a.m.x", "b.m.x")),
        "us-west-2": ModelAccess("m.x", "us-west-2", None, "b.m.x", ("b.m.x", "a.m.x")),
        "eu-west-1": ModelAccess("m.x", "eu-west-1", global_profile_id="g.m.x"),
    }
    model = ModelInfo("m.x", "X", "m", regions=accesses)
    meta = CatalogMetadata(CatalogSource.API, AS_OF, requested_regions=("us-east-1",))
    original = Catalog([model], meta)

    decoded = decode(encode(original, generated_at=GENERATED))

    assert_same_catalog(decoded, original)
    assert decoded.metadata.requested_regions == ("us-east-1",)


def test_decode_records_where_the_catalog_came_from(data: bytes, tmp_path: Any) -> None:
    decoded = decode(data, source=CatalogSource.BUNDLED, cache_path=tmp_path)

    assert decoded.metadata.source is CatalogSource.BUNDLED
    assert decoded.metadata.cache_path == tmp_path


def test_naive_times_are_refused_at_encoding() -> None:
    meta = CatalogMetadata(CatalogSource.API, datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone"):
        encode(Catalog([], meta))


# --- rejection -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 99, 0, -1, "1", 1.0, True, None])
def test_wrong_or_future_schema_version_is_rejected(data: bytes, version: Any) -> None:
    error = rejects(reseal(payload_of(data), schema_version=version), "schema version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        assert "upgrade bestehorn-llmmanager" in str(error)


def test_bad_checksum_is_rejected(data: bytes) -> None:
    document = json.loads(data)
    document["sha256"] = "0" * 64
    rejects(json.dumps(document).encode(), "checksum")


def test_edited_payload_is_rejected_by_the_checksum(data: bytes) -> None:
    edited = data.replace(b'"Claude 3 Haiku"', b'"Claude 3 Haikx"', 1)
    assert edited != data
    rejects(edited, "checksum")


def test_payload_reserialized_with_spaces_is_still_checked_byte_for_byte(data: bytes) -> None:
    document = json.loads(data)
    rejects(json.dumps(document, indent=1).encode())


def test_truncated_data_is_rejected_at_every_cut_point(data: bytes) -> None:
    # The last byte is the trailing newline: without it the file is still whole.
    step = max(1, len(data) // 400)
    cuts = {*range(0, len(data) - 1, step), *range(len(data) - 40, len(data) - 1)}
    for cut in sorted(cuts):
        with pytest.raises(CatalogFormatError):
            decode(data[:cut])


@pytest.mark.parametrize(
    "junk",
    [b"", b"   \n", b"not json", b"\xff\xfe\x00garbage", b"{", b"[]", b"null", b"42", b'"x"'],
)
def test_non_json_empty_or_non_object_data_is_rejected(junk: bytes) -> None:
    rejects(junk)


def test_deeply_nested_json_is_rejected_not_a_recursion_error() -> None:
    rejects(b"[" * 200_000 + b"]" * 200_000)
    rejects(reseal({"models": [[[[[[[[[[[[]]]]]]]]]]]]}))


def test_missing_format_marker_is_rejected(data: bytes) -> None:
    document = json.loads(data)
    del document["format"]
    rejects(json.dumps(document).encode(), "format marker")
    rejects(reseal(payload_of(data), format="someone-else/catalog"), "format marker")


def test_missing_payload_is_rejected() -> None:
    head = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION, "sha256": "0" * 64}
    rejects(json.dumps(head).encode(), "no payload")


def test_non_bytes_input_is_rejected() -> None:
    with pytest.raises(CatalogFormatError):
        decode("a string")  # type: ignore[arg-type]


def _set(payload: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    target: Any = payload
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return payload


_DELETE = object()
_WRONG_SHAPES = [
    ((), None),
    (("models",), {}),
    (("models",), [1]),
    (("models",), ["id"]),
    (("models",), [[]]),
    (("models",), [None]),
    (("models", 0, "id"), _DELETE),
    (("models", 0, "id"), ""),
    (("models", 0, "id"), 7),
    (("models", 0, "name"), None),
    (("models", 0, "provider"), ["x"]),
    (("models", 0, "lifecycle"), 1),
    (("models", 0, "streaming"), "yes"),
    (("models", 0, "streaming"), 0),
    (("models", 0, "input"), "TEXT"),
    (("models", 0, "input"), [1]),
    (("models", 0, "output"), None),
    (("models", 0, "inference_types"), {"ON_DEMAND": 1}),
    (("models", 0, "direct"), ["us-east-1"]),
    (("models", 0, "profiles"), "us.x us-east-1"),
    (("models", 0, "profiles"), "R  x"),
    (("models", 0, "profiles"), "X us.x us-east-1"),
    (("models", 0, "profiles"), "R us.x us-east-1;"),
    (("models", 0, "profiles"), ["R us.x us-east-1"]),
    (("models", 0, "order"), []),
    (("models", 0, "order"), {"us-east-1": "us.x"}),
    (("regions",), []),
    (("regions", "eu-west-3"), ["ok", None]),
    (("regions", "eu-west-3"), ["bogus", None, None]),
    (("regions", "eu-west-3"), [["ok"], None, None]),
    (("regions", "eu-west-3"), ["failed", 5, None]),
    (("retrieved_at",), "yesterday"),
    (("retrieved_at",), "2026-10-10T00:00:00"),  # naive
    (("retrieved_at",), 1760054400),
    (("retrieved_at",), "0001-01-01T00:00:00+01:00"),  # out of range in UTC
    (("generated_at",), "9999-12-31T23:59:59-01:00"),
    (("generated_at",), _DELETE),
    (("package_version",), 1),
    (("requested_regions",), "us-east-1"),
    (("stale_regions",), None),
]


@pytest.mark.parametrize(("path", "value"), _WRONG_SHAPES)
def test_correctly_checksummed_payload_of_the_wrong_shape_is_rejected(
    data: bytes, path: tuple[Any, ...], value: Any
) -> None:
    payload = payload_of(data)
    bad = value if path == () else _set(payload, path, value)
    rejects(reseal(bad), "shape|payload")


def test_duplicate_model_ids_are_rejected(data: bytes) -> None:
    payload = payload_of(data)
    payload["models"].append(payload["models"][0])
    rejects(reseal(payload), "duplicate")


def test_format_error_is_a_catalog_error_and_a_value_error_carrying_the_path(data: bytes) -> None:
    with pytest.raises(CatalogFormatError) as caught:
        decode(data[:10], path="/tmp/cache.json")
    error = caught.value
    assert isinstance(error, CatalogError) and isinstance(error, ValueError)
    assert str(error.path) == "/tmp/cache.json"
    assert str(error).startswith("/tmp/cache.json: invalid catalog file")


# --- properties ------------------------------------------------------------------------------


def _decode_or_format_error(blob: bytes) -> None:
    try:
        decoded = decode(blob)
    except CatalogFormatError:
        return
    assert isinstance(decoded, Catalog)
    for model in decoded.models.values():  # a decoded catalog is usable, lazily parsed or not
        for access in model.regions.values():
            assert access.access_methods


@BOUNDED
@given(st.binary(max_size=512))
def test_arbitrary_bytes_decode_or_raise_the_format_error(blob: bytes) -> None:
    _decode_or_format_error(blob)


@BOUNDED
@given(st.data())
def test_mutations_of_a_valid_file_decode_or_raise_the_format_error(draw: st.DataObject) -> None:
    blob = bytearray(encode(_SMALL, generated_at=GENERATED))
    for _ in range(draw.draw(st.integers(1, 4))):
        kind = draw.draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        at = draw.draw(st.integers(0, max(0, len(blob) - 1)))
        if kind == "flip" and blob:
            blob[at] = draw.draw(st.integers(0, 255))
        elif kind == "insert":
            blob[at:at] = draw.draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del blob[at : at + draw.draw(st.integers(1, 8))]
        else:
            del blob[at:]
    _decode_or_format_error(bytes(blob))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@BOUNDED
@given(st.data())
def test_resealed_payloads_with_any_part_replaced_decode_or_raise_the_format_error(
    draw: st.DataObject,
) -> None:
    payload = payload_of(encode(_SMALL, generated_at=GENERATED))
    path = draw.draw(st.sampled_from(_paths(payload)))
    replacement = draw.draw(_JSON | st.just(_DELETE))
    if path == ():
        bad: Any = None if replacement is _DELETE else replacement
    else:
        bad = _set(payload, path, replacement)
    _decode_or_format_error(reseal(bad))


# Random small worlds: models, regions, inference types, regional and global profiles.
_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-2", "ap-south-1", "sa-east-1"]
_MODELS = ["a.m1-v1:0", "a.m1-v1:0:8k", "b.m2-v1", "c.m3-v2:0", "d.x.m4-v1:0"]
_PREFIXES = ["us", "eu", "apac", "amer", "in", "global", "zz"]
_TYPES = st.one_of(
    st.none(),
    st.lists(st.sampled_from(["ON_DEMAND", "INFERENCE_PROFILE", "PROVISIONED"]), unique=True),
)


@st.composite
def raw_worlds(draw: st.DrawFn) -> Any:
    profiles = []
    for prefix in draw(st.lists(st.sampled_from(_PREFIXES), unique=True, max_size=5)):
        for model in draw(st.lists(st.sampled_from(_MODELS), unique=True, max_size=3)):
            destinations = draw(st.lists(st.sampled_from(_REGIONS), unique=True, max_size=4))
            is_global = draw(st.booleans())
            if not destinations and not is_global:
                destinations = [_REGIONS[0]]
            profiles.append((f"{prefix}.{model}", model, destinations, is_global))
    answers = []
    for region in draw(st.lists(st.sampled_from(_REGIONS), unique=True, min_size=1)):
        status = draw(st.sampled_from([RegionStatus.OK] * 4 + list(RegionStatus)))
        models = [
            fm(
                model,
                draw(st.sampled_from(["Model A", "model a", "Model B", model])),
                draw(st.sampled_from(["Acme", "acme", None])),
                region=region,
                types=draw(_TYPES),
                streaming=draw(st.sampled_from([True, False, None])),
                lifecycle=draw(st.sampled_from(["ACTIVE", "LEGACY", None])),
                inputs=draw(st.lists(st.sampled_from(["TEXT", "IMAGE"]), unique=True)),
            )
            for model in draw(st.lists(st.sampled_from(_MODELS), unique=True))
        ]
        listed = [
            profile(
                pid,
                model,
                destinations,
                source=region,
                is_global=is_global,
                status=draw(st.sampled_from(["ACTIVE", "ACTIVE", "INACTIVE"])),
            )
            for pid, model, destinations, is_global in profiles
            if draw(st.booleans())
        ]
        message = "denied for 123456789012" if status is not RegionStatus.OK else None
        answers.append(answer(region, models, listed, status=status, message=message))
    return world(*answers)


@BOUNDED
@given(raw_worlds())
def test_catalogs_built_from_random_worlds_round_trip_exactly(raw: Any) -> None:
    catalog = build_catalog(raw)
    data = encode(catalog, generated_at=GENERATED)

    decoded = decode(data)

    assert_same_catalog(decoded, catalog)
    assert encode(decoded, generated_at=GENERATED) == data
    assert b"123456789012" not in data


_ACCESS_IDS = st.lists(st.sampled_from(["us.m", "eu.m", "apac.m", "amer.m"]), unique=True)


@st.composite
def explicit_accesses(draw: st.DrawFn) -> dict[str, ModelAccess]:
    accesses = {}
    for region in draw(st.lists(st.sampled_from(_REGIONS), unique=True)):
        regional = tuple(draw(_ACCESS_IDS))
        access = ModelAccess(
            "m",
            region,
            direct_model_id=draw(st.sampled_from([None, "m"])),
            regional_profile_id=regional[0] if regional else None,
            regional_profile_ids=regional,
            global_profile_id=draw(st.sampled_from([None, "global.m", "earth.m"])),
        )
        if access.access_methods:
            accesses[region] = access
    return accesses


@BOUNDED
@given(explicit_accesses())
def test_any_per_region_accesses_round_trip_exactly(accesses: dict[str, ModelAccess]) -> None:
    meta = CatalogMetadata(
        CatalogSource.API,
        AS_OF,
        region_outcomes=MappingProxyType({r: RegionOutcome(r, RegionStatus.OK) for r in accesses}),
    )
    original = Catalog([ModelInfo("m", "M", "m", regions=accesses)], meta)

    decoded = decode(encode(original, generated_at=GENERATED))

    assert_same_catalog(decoded, original)
    assert dict(decoded.models["m"].regions) == accesses


_SMALL = _catalog()


_ROUTES_GRAMMAR = re.compile(r"(?:[RG] [^ ;]+(?: [^ ;]+)*(?:;[RG] [^ ;]+(?: [^ ;]+)*)*)?")


@settings(BOUNDED, max_examples=300)
@given(st.lists(st.text(alphabet="RG ;ax\t", max_size=14), max_size=4))
@example(["R a"])
@example(["R a x;G ax a", "", "G R\tx"])
@example(["R a", "R a;"])
@example(["R a", ";R a"])
@example(["R a;R"])
def test_route_shape_check_accepts_exactly_the_route_grammar(routes: list[str]) -> None:
    valid = all(_ROUTES_GRAMMAR.fullmatch(r) for r in routes)
    try:
        _check_routes(routes)
    except TypeError:
        assert not valid, routes
    else:
        assert valid, routes


# issue 11: what the writer never produces ------------------------------------------------------

ACCOUNT = "123456789012"


def test_no_account_id_is_ever_written_into_a_catalog_file() -> None:
    # Issue 11.15: account ids inside model names, providers, lifecycle values and profile ids
    # derived from an ARN (plus a region's error message) never reach the file: encode masks
    # the whole payload, whatever field they hide in.
    from bestehorn_llmmanager._redact import find_account_ids

    arn_profile = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/p1"
    catalog = catalog_of(
        answer(
            "us-east-1",
            [
                fm(
                    HAIKU,
                    f"Claude for {ACCOUNT}",
                    provider=f"Acme {ACCOUNT}",
                    lifecycle=f"LEGACY-{ACCOUNT}",
                ),
                fm(SONNET, "Claude Sonnet 4", types=["INFERENCE_PROFILE"]),
            ],
            [profile(arn_profile, SONNET, ["us-east-1"])],
        ),
        answer(
            "eu-west-1",
            status=RegionStatus.FAILED,
            error_code="AccessDeniedException",
            message=f"User arn:aws:iam::{ACCOUNT}:user/x is not authorized",
        ),
    )
    data = encode(catalog)
    assert find_account_ids(data.decode("ascii")) == []
    assert ACCOUNT not in data.decode("ascii")
    decoded = decode(data)  # and the masked file is still a valid catalog
    assert len(decoded) == len(catalog)


def test_a_file_over_the_size_cap_is_never_encoded_nor_decoded(
    catalog: Catalog, data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 11.3: the writer refuses to produce a file the reader would refuse.
    from bestehorn_llmmanager.bedrock.catalog import _fileformat

    monkeypatch.setattr(_fileformat, "MAX_FILE_BYTES", len(data) - 1)
    with pytest.raises(ValueError, match="cap"):
        encode(catalog)
    with pytest.raises(CatalogFormatError, match="cap"):
        decode(data)


def test_generated_at_defaults_to_retrieved_at_so_equal_input_gives_equal_bytes(
    catalog: Catalog,
) -> None:
    # No private clock in the format: the file's generated_at is given, or is retrieved_at.
    first = encode(catalog)
    assert first == encode(catalog)
    payload = json.loads(first)["payload"]
    assert payload["generated_at"] == payload["retrieved_at"]
    assert json.loads(encode(catalog, generated_at=GENERATED))["payload"]["generated_at"] == (
        "2026-10-11T12:30:00Z"
    )


def test_the_time_format_has_one_home_and_round_trips() -> None:
    from bestehorn_llmmanager.bedrock.catalog._fileformat import format_time, parse_time

    assert format_time(GENERATED) == "2026-10-11T12:30:00Z"
    assert parse_time("2026-10-11T12:30:00Z") == GENERATED
    with pytest.raises(ValueError, match="timezone"):
        parse_time("2026-10-11T12:30:00")


def test_a_format_error_quoting_the_file_never_carries_an_account_id(data: bytes) -> None:
    # Issue 11.15: a reason that quotes the file (here an unknown region status) is masked.
    document = json.loads(data)
    payload = document["payload"]
    payload["regions"]["us-east-1"] = [f"broken-{ACCOUNT}", None, None]
    body = json.dumps(payload, separators=(",", ":")).encode()
    document["sha256"] = hashlib.sha256(body).hexdigest()
    del document["payload"]
    head = json.dumps(document, separators=(",", ":")).encode()
    resealed = head[:-1] + b',"payload":' + body + b"}"
    with pytest.raises(CatalogFormatError) as error:
        decode(resealed)
    assert "status" in str(error.value)
    assert ACCOUNT not in str(error.value) and ACCOUNT not in error.value.reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[" * 100_000, "not a JSON object"),
        (b'"' + FORMAT_NAME.encode() + b'"', "not a JSON object"),
        (b'{"format":"' + FORMAT_NAME.encode() + b'","x":' + b"[" * 100_000, "nested too deep"),
        (b"  \n", "the file is empty"),
    ],
)
def test_a_file_that_is_not_a_json_object_is_refused_before_it_is_parsed(
    data: bytes, reason: str
) -> None:
    # "[[[[..." junk never reaches the JSON parser (whose recursion to the stack's limit also
    # made finalizers that ran meanwhile fail), and an object nested deeper than the stack is
    # still a format error, never a RecursionError.
    with pytest.raises(CatalogFormatError, match=reason):
        decode(data)
