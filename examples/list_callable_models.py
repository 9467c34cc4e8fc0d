"""List every model callable from one region, with the ID to send to Converse from there.

python examples/list_callable_models.py eu-west-1 --provider Anthropic
"""

from __future__ import annotations

import argparse

from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("region", nargs="?", default="us-east-1")
    parser.add_argument("--provider")
    parser.add_argument("--streaming", action="store_true", help="only streaming models")
    parser.add_argument("--offline", action="store_true", help="never call AWS")
    args = parser.parse_args()

    # cache_mode="memory": a one-shot script has no use for a cache file.
    catalog = BedrockModelCatalog(cache_mode="memory", offline=args.offline or None)
    models = catalog.list_models(
        region=args.region,
        provider=args.provider,
        streaming_only=args.streaming,
        include_legacy=False,
    )
    for model in models:
        access = model.regions[args.region]
        print(f"{model.name:<32} {access.invocation_id}")
    print(
        f"{len(models)} models callable from {args.region} ({catalog.metadata.source.value} data)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
