"""Build a message with MessageBuilder and send it with LLMManager, the 0.9 way.

Needs AWS credentials with bedrock:InvokeModel (or a Bedrock-compatible endpoint in
AWS_ENDPOINT_URL_BEDROCK and AWS_ENDPOINT_URL_BEDROCK_RUNTIME, as the tests use):

    python examples/builder_converse.py "Explain quantum computing in one sentence."
"""

from __future__ import annotations

import argparse
import sys

from bestehorn_llmmanager import LLMManager, create_user_message


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prompt", nargs="?", default="Explain quantum computing in one sentence.")
    parser.add_argument("--models", nargs="+", default=["Claude Haiku 4.5", "Nova Pro"])
    parser.add_argument("--regions", nargs="+", default=["us-east-1", "us-west-2"])
    args = parser.parse_args(argv)

    manager = LLMManager(models=args.models, regions=args.regions)
    message = create_user_message().add_text(args.prompt).build()
    response = manager.converse(messages=[message], inference_config={"maxTokens": 256})
    if not response.success:
        print(f"no answer after {response.get_attempt_count()} attempt(s):", file=sys.stderr)
        for error in response.get_all_errors():
            print(f"  {error}", file=sys.stderr)
        return 1
    print(response.get_content())
    usage = response.get_usage() or {}
    print(
        f"model: {response.model_used}  region: {response.region_used}  "
        f"attempts: {response.get_attempt_count()}  tokens: {usage.get('total_tokens', 0)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
