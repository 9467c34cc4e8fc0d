"""The ``list`` and ``show`` commands: which models are callable where, and with which ID.

Asks the catalog only for the regions the question needs (``--region R`` asks for R), turns a
typo in a filter into an error with suggestions, and renders what the catalog answers.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from ..bedrock.catalog import (
    AccessMethod,
    Catalog,
    CatalogSource,
    ModelAccess,
    ModelInfo,
    RegionStatus,
    access_row,
)
from ._render import (
    ACCESS_LEGEND,
    PROG,
    clean,
    emit_json,
    human_time,
    iso,
    note,
    plural,
    print_table,
    stdout_width,
    wrap_to_terminal,
    write_lines,
    yes_no,
)
from ._run import Failure, Run

#: Shown after a legacy model's name in tables.
LEGACY_MARK = " [LEGACY]"


def regions_needed(run: Run, region: str | None) -> list[str] | None:
    """The regions to ask the catalog for: --regions, else the one --region, else all."""
    if run.regions is not None:
        if region is not None and region not in run.regions:
            raise Failure(
                f"{region} is not one of the regions selected with --regions "
                f"({' '.join(run.regions)})",
                f"add it: --regions {' '.join([*run.regions, region])}, or drop --regions",
            )
        return run.regions
    return None if region is None else [region]


def cmd_list(run: Run) -> int:
    args = run.args
    run.ask_for(regions_needed(run, args.region))
    catalog = run.loaded()
    if args.region and args.region not in catalog.regions():
        _region_not_in_catalog(catalog, args.region)
    try:
        models = catalog.list_models(
            region=args.region,
            provider=args.provider,
            streaming_only=args.streaming,
            input_modality=args.input_modality,
            output_modality=args.output_modality,
            include_legacy=not args.no_legacy,
        )
    except ValueError as exc:  # a filter no model has: the library names it and the closest
        raise Failure(str(exc), f"`{PROG} list` without filters shows every model") from None
    hidden = 0
    if not args.all:
        shown = [m for m in models if not m.is_provisioned_only]
        hidden = len(models) - len(shown)
        models = shown
    if run.json:
        return emit_json(
            {
                **source_json(catalog, run),
                "region": args.region,
                "count": len(models),
                "hidden_provisioned_only": hidden,
                "models": [model_json(m, region=args.region) for m in models],
            }
        )
    if args.region:
        header = ("NAME", "PROVIDER", "CONVERSE ID", "ACCESS")
        rows = []
        for model in models:
            access = model.regions[args.region]
            rows.append((_name(model), model.provider, access.invocation_id, access_flags(access)))
        # The Converse ID is what people copy: it is cut last, and least.
        print_table(header, rows, shrink=((1, 8), (0, 20), (2, 24)))
        if rows:
            _legend(ACCESS_LEGEND)
    else:
        header = ("NAME", "PROVIDER", "MODEL ID", "REGIONS")
        rows = [
            (_name(m), m.provider, m.model_id, str(len(m.regions)) if m.regions else "0*")
            for m in models
        ]
        print_table(header, rows, shrink=((1, 8), (0, 20), (2, 24)))
        if any(not m.regions for m in models):
            _legend("REGIONS: * = not callable on demand from any region in this catalog")
    if hidden:
        note(
            f"{plural(hidden, 'provisioned-only variant')} hidden (callable only through "
            f"Provisioned Throughput); --all shows them"
        )
    if not models:
        note("no model matches these filters")
    return 0


def _name(model: ModelInfo) -> str:
    suffix = LEGACY_MARK if model.is_legacy else ""
    if model.end_of_life_time is not None:
        suffix += f" [end of life {model.end_of_life_time:%Y-%m-%d}]"
    if model.is_provisioned_only:
        suffix += " [provisioned only]"
    return clean(model.name) + suffix


def _legend(text: str) -> None:
    """A legend under the table, on a terminal only: into a pipe the rows stay rows (the
    legend is also in `list --help`)."""
    if stdout_width() is not None:
        write_lines(["", *wrap_to_terminal(text)])


def _region_not_in_catalog(catalog: Catalog, region: str) -> None:
    meta = catalog.metadata
    outcome = meta.region_outcomes.get(region)
    if outcome is not None and outcome.status is not RegionStatus.OK:
        # The region was asked but gave no data: say why, not "did you mean".
        if outcome.status is RegionStatus.UNAVAILABLE:
            hint = (
                "this account cannot use the region: enable it (opt-in regions) or grant "
                "bedrock:ListFoundationModels and bedrock:ListInferenceProfiles there, then "
                f"run `{PROG} refresh --regions {region}`"
            )
        else:
            hint = f"it failed to answer when the catalog was fetched; run `{PROG} refresh`"
        raise Failure(
            f"{region} is {outcome.status.value} in this catalog ({outcome.reason})", hint
        )
    if outcome is not None:  # asked and ok, but no model is callable there
        raise Failure(
            f"no model in this catalog is callable from {region}",
            f"`{PROG} list` shows every model and its region count",
        )
    known = catalog.regions()
    close = difflib.get_close_matches(region, known, n=3, cutoff=0.8)
    if _plausible_region(region) or not close:
        # A well-formed name of a region this catalog never asked (e.g. a region newer than
        # the bundle): a look-alike is not what the user meant.
        where = {
            CatalogSource.BUNDLED: "the catalog bundled with this package",
            CatalogSource.CACHE: "the cached catalog",
            CatalogSource.STALE_CACHE: "the expired cached catalog",
            CatalogSource.API: "the catalog fetched now",
        }[meta.source]
        raise Failure(
            f"{where} (data from {human_time(meta.retrieved_at)}) does not cover {region}",
            f"fetch it with AWS credentials: `{PROG} refresh --regions {region}` (this "
            f"catalog covers {plural(len(known), 'other region')})",
        )
    raise Failure(f"{region} is not a region of this catalog", f"did you mean {', '.join(close)}?")


#: The words between an AWS region's geography and its number ("us-gov-west-1", "ap-southeast-7").
_REGION_WORDS = frozenset(
    [
        "east",
        "west",
        "north",
        "south",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "gov",
        "iso",
        "isob",
        "isof",
        "isoe",
    ]
)


def _plausible_region(region: str) -> bool:
    """Whether ``region`` reads like a real region (``me-central-1``) rather than a typo of one
    (``us-esat-1``): every word between the geography and the number is a direction."""
    words = region.split("-")[1:-1]
    return bool(words) and all(word in _REGION_WORDS for word in words)


def access_flags(access: ModelAccess) -> str:
    methods = access.access_methods
    return " ".join(
        flag if method in methods else "-"
        for flag, method in (
            ("D", AccessMethod.DIRECT),
            ("R", AccessMethod.REGIONAL_PROFILE),
            ("G", AccessMethod.GLOBAL_PROFILE),
        )
    )


def cmd_show(run: Run) -> int:
    args = run.args
    region: str | None = args.region
    run.ask_for(regions_needed(run, region))
    catalog = run.loaded()
    model = catalog.resolve(args.name)
    # With --regions, only those (a cached catalog for more regions may hold others too).
    selected = run.regions if region is None else [region]
    regions = sorted(r for r in model.regions if selected is None or r in selected)
    if region is not None and region not in model.regions:
        if region not in catalog.regions():
            _region_not_in_catalog(catalog, region)
        callable_from = sorted(model.regions)
        raise Failure(
            f"{clean(model.name)} is not callable on demand from {region}",
            (
                f"it is callable from {plural(len(callable_from), 'region')}: "
                + ", ".join(callable_from)
                if callable_from
                else "it is not callable on demand from any region in this catalog"
            ),
        )
    if run.json:
        item = model_json(model, only=regions)
        if region is not None:
            item["converse_id"] = model.regions[region].invocation_id
        return emit_json({**source_json(catalog, run), "model": item})
    details = [
        ("model id", model.model_id),
        ("provider", model.provider),
        ("input", ", ".join(model.input_modalities) or "-"),
        ("output", ", ".join(model.output_modalities) or "-"),
        ("streaming", yes_no(model.streaming_supported)),
        ("lifecycle", model.lifecycle_status + (" (legacy)" if model.is_legacy else "")),
        *(
            (label, iso(moment) or "")
            for label, moment in (
                ("start of life", model.start_of_life_time),
                ("legacy since", model.legacy_time),
                ("extended access", model.public_extended_access_time),
                ("end of life", model.end_of_life_time),
            )
            if moment is not None
        ),
        ("inference types", ", ".join(model.inference_types) or "-"),
    ]
    if region is not None:
        details.append(("converse id", f"{model.regions[region].invocation_id} (from {region})"))
    else:
        details.append(("callable from", plural(len(regions), "region")))
    lines = [clean(model.name)] + [f"  {key + ':':<17}{clean(value)}" for key, value in details]
    write_lines(lines)
    if not regions:
        write_lines(["", "Not callable on demand from any region in this catalog."])
        return 0
    write_lines(["", f"Profile IDs are shown by prefix: `us.` means us.{model.model_id}.", ""])
    header = ("REGION", "DIRECT", "REGIONAL", "GLOBAL", "CONVERSE ID")
    rows = []
    for name in regions:
        access = model.regions[name]
        rows.append(
            (
                name,
                "yes" if access.direct_model_id else "-",
                _short_profile(access.regional_profile_id, model.model_id),
                _short_profile(access.global_profile_id, model.model_id),
                access.invocation_id,
            )
        )
    print_table(header, rows, shrink=((2, 10), (3, 10), (4, 24)))
    return 0


def _short_profile(profile_id: str | None, model_id: str) -> str:
    if profile_id is None:
        return "-"
    if profile_id.endswith("." + model_id):
        return profile_id[: -len(model_id)]
    return profile_id


def source_json(catalog: Catalog, run: Run) -> dict[str, Any]:
    meta = catalog.metadata
    return {
        "source": meta.source.value,
        "retrieved_at": iso(meta.retrieved_at),
        "age_seconds": int((run.now() - meta.retrieved_at).total_seconds()),
    }


def model_json(
    model: ModelInfo, *, region: str | None = None, only: Sequence[str] | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "model_id": model.model_id,
        "name": model.name,
        "provider": model.provider,
        "input_modalities": list(model.input_modalities),
        "output_modalities": list(model.output_modalities),
        "streaming": model.streaming_supported,
        "lifecycle_status": model.lifecycle_status,
        "lifecycle": model.lifecycle,  # status and the API's four dates (ISO UTC or null)
        "legacy": model.is_legacy,
        "provisioned_only": model.is_provisioned_only,
        "inference_types": list(model.inference_types),
    }
    if region is not None:
        item["access"] = access_row(model.regions[region])
        item["regions"] = sorted(model.regions)
    else:
        shown = sorted(model.regions) if only is None else only
        item["regions"] = {r: access_row(model.regions[r]) for r in shown}
    return item
