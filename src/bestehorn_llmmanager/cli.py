"""The bedrock-catalog command line; the only module that prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .bedrock.catalog import load_bundled


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bedrock-catalog")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="list models")
    listing.add_argument("--region")
    args = parser.parse_args(argv)
    catalog = load_bundled()
    for model in catalog.list_models(region=args.region):
        access = model.regions.get(args.region) if args.region else None
        how = ",".join(m.value for m in access.access_methods) if access else ""
        print(f"{model.provider:<12} {model.name:<36} {model.model_id:<52} {how}")
    return 0
