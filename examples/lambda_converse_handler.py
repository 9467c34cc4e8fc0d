"""An AWS Lambda handler in 0.9's style: a module-level LLMManager, reused by warm starts.

The manager is built on the first event (its constructor needs the catalog, which a cold
container fetches for the manager's regions only). The handler returns API Gateway's shape.

Event: {"prompt": "...", "system": "optional system prompt"}
"""

from __future__ import annotations

import json
import os
from typing import Any

from bestehorn_llmmanager import LLMManager, create_user_message

MODELS = os.environ.get("BEDROCK_MODELS", "Claude Haiku 4.5,Nova Pro").split(",")
REGIONS = os.environ.get("BEDROCK_REGIONS", "us-east-1,us-west-2").split(",")

_manager: LLMManager | None = None


def _get_manager() -> LLMManager:
    global _manager  # noqa: PLW0603  (one manager per container, as 0.9's examples do)
    if _manager is None:
        _manager = LLMManager(models=MODELS, regions=REGIONS)
    return _manager


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    prompt = event.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        return {"statusCode": 400, "body": json.dumps({"error": "the event needs a 'prompt'"})}
    system = [{"text": event["system"]}] if event.get("system") else None
    response = _get_manager().converse(
        messages=[create_user_message().add_text(prompt).build()], system=system
    )
    if not response.success:
        errors = [str(e) for e in response.get_all_errors()]
        return {
            "statusCode": 502,
            "body": json.dumps({"error": "no model answered", "errors": errors}),
        }
    body = {
        "content": response.get_content(),
        "model_used": response.model_used,
        "region_used": response.region_used,
        "usage": response.get_usage(),
        "duration_ms": response.total_duration_ms,
    }
    return {"statusCode": 200, "body": json.dumps(body)}


if __name__ == "__main__":
    print(json.dumps(lambda_handler({"prompt": "What is machine learning?"}, None), indent=2))
