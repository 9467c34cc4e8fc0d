"""Region discovery: 0.9's constants and lists, and BedrockRegionDiscovery served by botocore's
region list and the catalog's outcomes, in memory (never a file)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import boto3
import pytest

from bestehorn_llmmanager import AWSRegions, BedrockRegionDiscovery, get_all_regions
from bestehorn_llmmanager._errors import LLMManagerError
from bestehorn_llmmanager.bedrock.discovery.region_discovery import RegionDiscoveryError
from bestehorn_llmmanager.bedrock.models.aws_regions import (
    get_commercial_regions,
    is_cross_region_inference,
    normalize_region_name,
)
from tests.bedrock_server import BedrockServer

# 0.9.0's get_all_regions(), verbatim and in its order.
REGIONS_09 = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-gov-east-1", "us-gov-west-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "eu-central-1",
    "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
    "eu-west-3", "ca-central-1", "sa-east-1",
]  # fmt: skip


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class _CountingSession(boto3.session.Session):
    """A real boto3 session that counts how often it is asked for the region list."""

    def __init__(self, answer: list[str] | None = None) -> None:
        super().__init__(region_name="us-east-1")
        self.asked = 0
        self._answer = answer

    def get_available_regions(self, *args: Any, **kwargs: Any) -> list[str]:
        self.asked += 1
        if self._answer is not None:
            return list(self._answer)
        return super().get_available_regions(*args, **kwargs)  # type: ignore[no-any-return]


def test_the_static_lists_are_0_9s_and_a_new_list_each_call() -> None:
    assert get_all_regions() == REGIONS_09
    get_all_regions().append("xx-fake-1")
    assert get_all_regions() == REGIONS_09
    commercial = get_commercial_regions()
    assert len(commercial) == 21
    assert not any(r.startswith("us-gov-") for r in commercial)
    assert AWSRegions.EU_WEST_1 == "eu-west-1" and AWSRegions.AP_SOUTHEAST_4 == "ap-southeast-4"


def test_region_text_helpers() -> None:
    assert normalize_region_name(" us-east-1* ") == "us-east-1"
    assert is_cross_region_inference("us-east-1*") and not is_cross_region_inference("us-east-1")


def test_discovery_answers_botocores_bedrock_regions_sorted() -> None:
    expected = sorted(boto3.session.Session().get_available_regions("bedrock"))
    regions = BedrockRegionDiscovery().get_bedrock_regions()
    assert regions == expected
    assert "us-east-1" in regions and regions == sorted(regions)


def test_no_file_is_written_and_cache_dir_is_ignored_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "bedrock_cache"
    with pytest.warns(DeprecationWarning, match=r"cache_dir=\.\.\.\) is ignored"):
        discovery = BedrockRegionDiscovery(cache_dir=target, cache_ttl_hours=48)
    discovery.get_bedrock_regions(force_refresh=True)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    info = discovery.get_cache_info()
    assert info["cache_file"] is None and info["cache_ttl_hours"] == 48


def test_no_warning_without_cache_dir() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BedrockRegionDiscovery().get_bedrock_regions()


def test_the_answer_is_reused_within_the_ttl_and_refreshed_after() -> None:
    clock, session = _Clock(), _CountingSession()
    discovery = BedrockRegionDiscovery(cache_ttl_hours=1, session=session, clock=clock)
    assert discovery.get_cache_info() == {
        "cache_file": None,
        "cache_exists": False,
        "cache_ttl_hours": 1,
        "source": "botocore",
    }
    first = discovery.get_bedrock_regions()
    clock.now += 1800
    assert discovery.get_bedrock_regions() == first
    assert session.asked == 1
    info = discovery.get_cache_info()
    assert info["cache_exists"] and info["cache_valid"]
    assert info["cache_age_hours"] == pytest.approx(0.5)
    assert info["cached_region_count"] == len(first)
    clock.now += 1801
    assert discovery.get_cache_info()["cache_valid"] is False
    discovery.get_bedrock_regions()
    assert session.asked == 2
    discovery.get_bedrock_regions(force_refresh=True)
    assert session.asked == 3
    discovery.clear_cache()
    assert discovery.get_cache_info()["cache_exists"] is False
    discovery.get_bedrock_regions()
    assert session.asked == 4


def test_the_returned_list_is_the_callers_own() -> None:
    discovery = BedrockRegionDiscovery()
    discovery.get_bedrock_regions().clear()
    assert discovery.get_bedrock_regions()


def test_no_region_at_all_is_an_error_that_names_the_fix() -> None:
    discovery = BedrockRegionDiscovery(session=_CountingSession(answer=[]))
    with pytest.raises(RegionDiscoveryError, match="upgrade botocore") as caught:
        discovery.get_bedrock_regions()
    assert isinstance(caught.value, LLMManagerError)


def test_a_failing_session_is_reported_with_its_cause() -> None:
    class Broken(_CountingSession):
        def get_available_regions(self, *args: Any, **kwargs: Any) -> list[str]:
            raise OSError("endpoints data unreadable")

    with pytest.raises(RegionDiscoveryError, match="OSError: endpoints data unreadable"):
        BedrockRegionDiscovery(session=Broken()).get_bedrock_regions()


def test_a_catalog_leaves_out_regions_the_account_cannot_use(
    bedrock_server: BedrockServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", bedrock_server.url)
    bedrock_server.deny_access("eu-west-1")
    catalog = BedrockModelCatalog(
        cache_mode="none", regions=["us-east-1", "eu-west-1"], fallback_to_bundled=False
    )
    catalog.load()
    discovery = BedrockRegionDiscovery(catalog=catalog)
    with caplog.at_level("INFO", logger="bestehorn_llmmanager._discovery"):
        regions = discovery.get_bedrock_regions()
    assert "eu-west-1" not in regions
    assert "us-east-1" in regions and "us-west-2" in regions  # not fetched: not excluded
    assert any("leaving out eu-west-1" in r.getMessage() for r in caplog.records)
    assert discovery.get_cache_info()["source"] == "botocore+catalog"


@pytest.mark.parametrize("ttl", [-1, float("nan")])
def test_a_bad_ttl_is_refused(ttl: float) -> None:
    with pytest.raises(ValueError, match="cache_ttl_hours"):
        BedrockRegionDiscovery(cache_ttl_hours=ttl)


def test_importing_discovery_does_not_import_boto3() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bestehorn_llmmanager as b; b.BedrockRegionDiscovery; b.get_all_regions();"
        "import bestehorn_llmmanager.bedrock.discovery.region_discovery;"
        "print('boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
