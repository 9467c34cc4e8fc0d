"""Independent check of the bundled catalog against the raw snapshot it was generated from.

Recomputes, straight from the snapshot's JSON and by the rules of issue 2 section 3 (without
importing the transform), the expected access of every (model, region) and compares it with
what the bundled catalog's ``get()`` answers. Also checks the metadata majority votes, profile
id resolution and the absence of account ids. Exits 1 on any disagreement.

    python benchmarks/check_bundle.py [--snapshot ../shared/bedrock-snapshot-2026-10]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bestehorn_llmmanager.bedrock.catalog import load_bundled
from bestehorn_llmmanager.bedrock.catalog._bundle import read_bundled_bytes

DEFAULT_SNAPSHOT = Path(__file__).resolve().parents[2] / "shared" / "bedrock-snapshot-2026-10"
Expected = tuple[str | None, str | None, tuple[str, ...], str | None]


def _load(path: Path) -> Any:
    return json.loads(path.read_text())


def expected_accesses(root: Path) -> tuple[list[str], dict[str, dict[str, Expected]], Any]:
    """(regions, model -> region -> expected access, raw summaries per model) from raw JSON."""
    regions: list[str] = _load(root / "SNAPSHOT.json")["regions"]
    direct: set[tuple[str, str]] = set()
    regional: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    global_: dict[tuple[str, str], list[str]] = defaultdict(list)
    summaries: dict[str, list[dict[str, Any]]] = defaultdict(list)
    models: set[str] = set()
    for region in regions:
        for summary in _load(root / region / "list-foundation-models.json")["modelSummaries"]:
            model_id = summary["modelId"]
            models.add(model_id)
            summaries[model_id].append(summary)
            # An absent field is what older answers sent for on-demand models.
            if "ON_DEMAND" in summary.get("inferenceTypesSupported", ["ON_DEMAND"]):
                direct.add((model_id, region))
        profiles_file = root / region / "list-inference-profiles.json"
        profiles = (
            _load(profiles_file)["inferenceProfileSummaries"] if profiles_file.exists() else []
        )
        for item in profiles:
            if item.get("status") != "ACTIVE" or item.get("type") != "SYSTEM_DEFINED":
                continue
            arns = [m["modelArn"] for m in item["models"]]
            # arn:aws:bedrock:<region>:<account>:foundation-model/<id>
            arn_regions = [arn.split(":")[3] for arn in arns]
            bases = {arn.split("foundation-model/", 1)[1] for arn in arns}
            is_global = "" in arn_regions
            destinations = {r for r in arn_regions if r}
            for base in bases:
                models.add(base)
                if is_global:
                    global_[(base, region)].append(item["inferenceProfileId"])
                else:
                    regional[(base, region)].append((len(destinations), item["inferenceProfileId"]))
    expected: dict[str, dict[str, Expected]] = {m: {} for m in models}
    for model_id in models:
        for region in regions:
            ranked = tuple(pid for _, pid in sorted(regional.get((model_id, region), [])))
            globals_ = sorted(global_.get((model_id, region), []))
            access: Expected = (
                model_id if (model_id, region) in direct else None,
                ranked[0] if ranked else None,
                ranked,
                globals_[0] if globals_ else None,
            )
            if any(x for x in access):
                expected[model_id][region] = access
    return regions, expected, summaries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=DEFAULT_SNAPSHOT)
    args = parser.parse_args(argv)
    regions, expected, summaries = expected_accesses(args.snapshot)
    catalog = load_bundled()
    problems: list[str] = []

    if set(catalog.models) != set(expected):
        problems.append(
            f"model sets differ: only in bundle {sorted(set(catalog.models) - set(expected))}, "
            f"only in snapshot {sorted(set(expected) - set(catalog.models))}"
        )
    pairs = agree = 0
    for model_id in sorted(expected):
        for region in regions:
            pairs += 1
            want = expected[model_id].get(region)
            got_access = catalog.get(model_id, region) if model_id in catalog.models else None
            got = (
                None
                if got_access is None
                else (
                    got_access.direct_model_id,
                    got_access.regional_profile_id,
                    got_access.regional_profile_ids,
                    got_access.global_profile_id,
                )
            )
            if got == want:
                agree += 1
            else:
                problems.append(f"{model_id} @ {region}: expected {want}, bundle says {got}")

    # Every profile id resolves to its base model (each profile here routes to one model).
    profile_checks = 0
    for model_id, by_region in expected.items():
        for _, _, regional_ids, global_id in by_region.values():
            for pid in {*regional_ids, *([global_id] if global_id else [])}:
                profile_checks += 1
                if catalog.resolve(pid).model_id != model_id:
                    problems.append(f"profile {pid} resolves to {catalog.resolve(pid).model_id}")

    # Metadata: where a strict majority of regions agrees, the bundle must carry that answer.
    meta_checks = 0
    for model_id, entries in summaries.items():
        model = catalog.models.get(model_id)
        if model is None:
            continue
        for field, key in (
            ("name", "modelName"),
            ("provider", "providerName"),
            ("streaming_supported", "responseStreamingSupported"),
            ("lifecycle_status", "modelLifecycle"),
        ):
            values = Counter(
                json.dumps(e[key].get("status") if key == "modelLifecycle" else e[key])
                for e in entries
                if key in e
            ).most_common(2)
            if not values or (len(values) == 2 and values[0][1] == values[1][1]):
                continue
            meta_checks += 1
            if json.loads(values[0][0]) != getattr(model, field):
                problems.append(
                    f"{model_id}.{field}: majority {values[0][0]}, bundle {getattr(model, field)!r}"
                )

    data = read_bundled_bytes()
    account = _load(args.snapshot / "SNAPSHOT.json").get("account_id_placeholder", "111122223333")
    if account.encode() in data:
        problems.append("the bundle contains the snapshot's account id")

    print(f"models: {len(expected)}, regions: {len(regions)}, bundle: {len(data)} bytes")
    print(f"(model, region) pairs: {agree}/{pairs} agree ({100 * agree / pairs:.2f}%)")
    print(f"callable pairs: {sum(len(v) for v in expected.values())}")
    print(f"profile-id resolutions checked: {profile_checks}, metadata majorities: {meta_checks}")
    for problem in problems[:50]:
        print("MISMATCH", problem)
    print("OK" if not problems else f"{len(problems)} problems")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
