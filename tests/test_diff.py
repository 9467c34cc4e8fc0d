"""catalog_diff: what changed between two catalogs, as plain data (the CLI renders it)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import MappingProxyType

from bestehorn_llmmanager.bedrock.catalog import (
    Catalog,
    RegionOutcome,
    RegionStatus,
    catalog_diff,
    load_bundled,
)

NOVA_PRO = "amazon.nova-pro-v1:0"


def test_an_identical_catalog_has_no_changes() -> None:
    bundled = load_bundled()
    diff = catalog_diff(bundled, bundled)
    assert diff.is_empty and diff.counts() == {}
    assert diff.as_dict()["old"] == diff.as_dict()["new"]


def test_a_lifecycle_date_change_is_reported_as_json_ready_data() -> None:
    old = load_bundled()
    when = datetime(2027, 1, 1, tzinfo=timezone.utc)
    models = [
        m.replace(legacy_time=when) if m.model_id == NOVA_PRO else m for m in old.models.values()
    ]
    diff = catalog_diff(old, Catalog(models, old.metadata))
    (changed,) = diff.models_changed
    assert changed["model_id"] == NOVA_PRO
    assert changed["changes"] == {"legacy_time": [None, "2027-01-01T00:00:00Z"]}
    json.dumps(diff.as_dict())  # serialisable as it is


def test_only_regions_that_answer_are_added_or_removed() -> None:
    old = load_bundled()
    outcomes = dict(old.metadata.region_outcomes)
    outcomes["me-central-1"] = RegionOutcome("me-central-1", RegionStatus.UNAVAILABLE, "Denied")
    del outcomes["us-west-1"]
    new = Catalog(
        list(old.models.values()),
        old.metadata.replace(region_outcomes=MappingProxyType(outcomes)),
    )
    diff = catalog_diff(old, new)
    assert diff.regions_added == ()  # asked but unavailable: a status change, not "added"
    assert diff.regions_removed == ("us-west-1",)
    (change,) = diff.regions_status_changed
    assert change == {
        "region": "me-central-1",
        "old": None,
        "new": "unavailable",
        "reason": "Denied",
    }
