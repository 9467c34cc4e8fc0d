"""Send a prompt through LLMManager: the first (model, region) target that answers wins.

Needs AWS credentials with bedrock:InvokeModel, or a local test server:

    python -m tests.bedrock_server --snapshot tests/fixtures/runtime_world --port 8765  # + runtime
    python examples/converse_with_failover.py --endpoint-url http://127.0.0.1:8765

boto3 also honours AWS_ENDPOINT_URL_BEDROCK and AWS_ENDPOINT_URL_BEDROCK_RUNTIME.
"""

from __future__ import annotations

import argparse

from bestehorn_llmmanager import AllTargetsFailedError, LLMManager
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prompt", nargs="?", default="Say hello in five words.")
    parser.add_argument("--models", nargs="+", default=["Claude Haiku 4.5", "Nova Pro"])
    parser.add_argument("--regions", nargs="+", default=["us-east-1", "us-west-2"])
    parser.add_argument("--endpoint-url", help="a Bedrock-compatible endpoint (tests)")
    parser.add_argument("--stream", action="store_true", help="use ConverseStream")
    args = parser.parse_args()

    # Fetch only the regions we call from: faster than every Bedrock region.
    catalog = BedrockModelCatalog(regions=args.regions, endpoint_url=args.endpoint_url)
    manager = LLMManager(
        models=args.models,
        regions=args.regions,
        catalog=catalog,
        endpoint_url=args.endpoint_url,
    )
    try:
        if args.stream:
            stream = manager.converse_stream(args.prompt, inference_config={"maxTokens": 200})
            for event in stream:
                delta = event.get("contentBlockDelta", {}).get("delta", {})
                print(delta.get("text", ""), end="", flush=True)
            print()
            attempts, model, region = stream.attempts, stream.model, stream.region
        else:
            response = manager.converse(args.prompt, inference_config={"maxTokens": 200})
            print(response.text)
            attempts, model, region = response.attempts, response.model, response.region
    except AllTargetsFailedError as exc:  # every attempt, with its error code, is in the message
        print(exc)
        return 1
    print(f"answered by {model.name} in {region} after {len(attempts)} attempt(s):")
    for attempt in attempts:
        print(f"  {attempt.region:<12} {attempt.model_id:<48} {attempt.error_code or 'ok'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
