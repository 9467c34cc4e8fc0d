"""The bundled catalog: it ships, loads through importlib.resources, and never crashes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

import pytest

from bestehorn_llmmanager.bedrock.catalog import (
    CatalogFormatError,
    CatalogSource,
    load_bundled,
)
from bestehorn_llmmanager.bedrock.catalog import (
    _bundle as bundled,
)
from bestehorn_llmmanager.bedrock.catalog._constants import BUNDLED_FILENAME, BUNDLED_PACKAGE
from bestehorn_llmmanager.bedrock.catalog._fileformat import format_time

MAX_BUNDLE_BYTES = 300 * 1024


def test_bundle_is_package_data_found_by_importlib_resources() -> None:
    resource = resources.files(BUNDLED_PACKAGE).joinpath(BUNDLED_FILENAME)

    assert resource.is_file()
    assert bundled.read_bundled_bytes() == resource.read_bytes()


def test_bundle_is_at_most_300_kb() -> None:
    assert 0 < len(bundled.read_bundled_bytes()) <= MAX_BUNDLE_BYTES


def test_bundle_loads_with_models_and_31_ok_regions() -> None:
    catalog = load_bundled()

    assert len(catalog) > 100
    meta = catalog.metadata
    assert meta.source is CatalogSource.BUNDLED
    assert len(meta.regions_ok) == 31
    assert not meta.regions_failed and not meta.regions_unavailable
    assert "us-east-1" in catalog.regions()
    assert catalog.list_models(region="us-east-1")


def test_bundle_reports_its_version_and_age() -> None:
    catalog = load_bundled()
    meta = catalog.metadata
    retrieved = meta.retrieved_at

    assert retrieved.tzinfo is not None
    assert meta.bundled_version == format_time(retrieved)
    assert meta.generated_at is not None and meta.package_version
    later = retrieved + timedelta(days=40, hours=3)
    assert meta.age_at(later) == timedelta(days=40, hours=3)
    assert meta.age > timedelta(0)
    assert meta.age <= datetime.now(timezone.utc) - retrieved + timedelta(seconds=1)


def test_bundle_stores_no_account_ids() -> None:
    assert b"111122223333" not in bundled.read_bundled_bytes()


def test_missing_bundle_raises_the_format_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(resources, "files", lambda package: tmp_path)

    with pytest.raises(CatalogFormatError, match="missing") as caught:
        load_bundled()
    assert "reinstall bestehorn-llmmanager" in str(caught.value)


def test_missing_bundle_package_raises_the_format_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_package(package: str) -> Path:
        raise ModuleNotFoundError(f"No module named {package!r}")

    monkeypatch.setattr(resources, "files", no_package)

    with pytest.raises(CatalogFormatError, match="missing"):
        bundled.read_bundled_bytes()


@pytest.mark.parametrize(
    "corrupt",
    [
        b"",
        b"{}",
        b"\x00\x01binary",
        b'{"format":"bestehorn-llmmanager/bedrock-catalog"',
        b"[" * 100_000,
    ],
)
def test_corrupt_bundle_raises_the_format_error(
    monkeypatch: pytest.MonkeyPatch, corrupt: bytes
) -> None:
    monkeypatch.setattr(bundled, "read_bundled_bytes", lambda: corrupt)

    with pytest.raises(CatalogFormatError) as caught:
        load_bundled()
    assert caught.value.path == Path(BUNDLED_FILENAME)


def test_truncated_or_edited_bundle_raises_the_format_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = bundled.read_bundled_bytes()
    for broken in (real[: len(real) // 2], real.replace(b"Claude", b"Claudx", 1)):
        monkeypatch.setattr(bundled, "read_bundled_bytes", lambda data=broken: data)
        with pytest.raises(CatalogFormatError):
            load_bundled()
