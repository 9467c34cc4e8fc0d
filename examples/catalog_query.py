"""Ask the catalog how to call a model from a region, and which regions it is callable from.

Runs anywhere: without AWS credentials (or with --offline) it answers from the bundled data.

    python examples/catalog_query.py "Claude Haiku 4.5" eu-central-1
"""

from __future__ import annotations

import argparse

from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog, ModelNotFoundError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default="Claude Haiku 4.5")
    parser.add_argument("region", nargs="?", default="us-east-1")
    parser.add_argument("--offline", action="store_true", help="never call AWS")
    args = parser.parse_args()

    catalog = BedrockModelCatalog(offline=args.offline or None)
    try:
        model = catalog.resolve(args.model)
    except ModelNotFoundError as exc:  # carries close names in exc.suggestions
        print(exc)
        return 1
    print(f"{model.name} ({model.provider}), model id {model.model_id}")
    meta = catalog.metadata
    print(f"data: {meta.source.value}, retrieved {meta.retrieved_at:%Y-%m-%d}")

    access = catalog.get_model_info(args.model, args.region)
    if access is None:
        print(f"not callable from {args.region}; callable from: {', '.join(model.regions)}")
        return 0
    methods = ", ".join(m.value for m in access.access_methods)
    print(f"from {args.region}: send modelId={access.invocation_id!r} ({methods})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
