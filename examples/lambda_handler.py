"""An AWS Lambda handler: the catalog lives in process memory, so warm starts cost nothing.

Cold start: no cache file is read or written (Lambda's home is read-only); the catalog is
fetched from the API for the listed regions, or, without permission, taken from the bundled data.
Warm start: the module-level objects below are reused.

Events:
    {"action": "models", "region": "eu-west-1"}             -> the callable models and their IDs
    {"prompt": "Hello", "models": [...], "regions": [...]}  -> a Converse answer, with failover

A failure is an answer too: {"error": ..., "type": ...}, never a traceback.
Run it locally: python examples/lambda_handler.py '{"action": "models", "region": "eu-west-1"}'
(with no event it lists the models of the first region, which works without credentials).
"""

from __future__ import annotations

import os
from typing import Any

from bestehorn_llmmanager import LLMManager
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
from bestehorn_llmmanager.bedrock.exceptions import LLMManagerError


def _names(variable: str, default: str) -> list[str]:
    """A comma-separated environment list: "us-east-1, us-west-2" works, blanks are dropped."""
    return [part.strip() for part in os.environ.get(variable, default).split(",") if part.strip()]


REGIONS = _names("BEDROCK_REGIONS", "us-east-1,us-west-2")
MODELS = _names("BEDROCK_MODELS", "Claude Haiku 4.5,Nova Pro")

# Module level: built once per container, on the first event (the constructor does no I/O).
catalog = BedrockModelCatalog(cache_mode="memory", regions=REGIONS)
_managers: dict[tuple[tuple[str, ...], tuple[str, ...]], LLMManager] = {}


def _manager(models: list[str], regions: list[str]) -> LLMManager:
    key = (tuple(models), tuple(regions))
    if key not in _managers:
        _managers[key] = LLMManager(models=models, regions=regions, catalog=catalog)
    return _managers[key]


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        if event.get("action") == "models":
            return _models(event.get("region", REGIONS[0]))
        return _converse(event)
    except (LLMManagerError, ValueError) as exc:  # no credentials, a bad name, all targets failed
        return {"error": str(exc), "type": type(exc).__name__}


def _models(region: str) -> dict[str, Any]:
    return {
        "region": region,
        "source": catalog.metadata.source.value,
        "models": [
            {"name": m.name, "converse_id": m.regions[region].invocation_id}
            for m in catalog.list_models(region=region, include_legacy=False)
        ],
    }


def _converse(event: dict[str, Any]) -> dict[str, Any]:
    manager = _manager(event.get("models", MODELS), event.get("regions", REGIONS))
    response = manager.converse(event.get("prompt", "Hello"))
    return {
        "text": response.text,
        "model": response.model.name,
        "region": response.region,
        "model_id": response.model_id_used,
        "attempts": len(response.attempts),
    }


if __name__ == "__main__":  # a local smoke run
    import json
    import sys

    local_event = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {"action": "models"}
    answer = handler(local_event, None)
    print(json.dumps(answer))
    sys.exit(1 if "error" in answer else 0)
