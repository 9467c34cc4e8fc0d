"""Send a prompt through LLMManager: the first (model, region) target that answers wins.

Needs AWS credentials with bedrock:InvokeModel:

    python examples/converse_with_failover.py "Say hello in five words."

Without AWS, from a checkout of the repository, --local-server answers from the project's local
test server (tests/bedrock_server.py with the runtime routes of tests/bedrock_runtime.py, the
models of tests/fixtures/runtime_world), started inside this process with dummy credentials:

    python examples/converse_with_failover.py --local-server [--stream]

--endpoint-url URL points both clients at another Bedrock-compatible server (boto3 also honours
AWS_ENDPOINT_URL_BEDROCK and AWS_ENDPOINT_URL_BEDROCK_RUNTIME). With an endpoint the catalog is
kept in memory, so a test server's models never land in your cache file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from bestehorn_llmmanager import LLMManager
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog, NoCredentialsError
from bestehorn_llmmanager.bedrock.exceptions import LLMManagerError, RetryExhaustedError


def start_local_server(stack: contextlib.ExitStack) -> str:
    """The repository's local Bedrock server (control plane and runtime), for this process."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "tests" / "bedrock_server.py").is_file():
        raise SystemExit("--local-server needs a checkout of the repository (its tests/ folder)")
    sys.path.insert(0, str(root))
    from tests.bedrock_runtime import install
    from tests.bedrock_server import BedrockServer

    server = BedrockServer.from_directory(root / "tests" / "fixtures" / "runtime_world")
    install(server)
    stack.enter_context(server)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ[name] = "testing"  # the local server accepts any key; AWS is never called
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    return str(server.url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prompt", nargs="?", default="Say hello in five words.")
    parser.add_argument("--models", nargs="+", default=["Claude Haiku 4.5", "Nova Pro"])
    parser.add_argument("--regions", nargs="+", default=["us-east-1", "us-west-2"])
    parser.add_argument("--endpoint-url", help="a Bedrock-compatible endpoint (tests)")
    parser.add_argument(
        "--local-server", action="store_true", help="answer from the repository's test server"
    )
    parser.add_argument("--stream", action="store_true", help="use ConverseStream")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        if args.local_server:
            args.endpoint_url = start_local_server(stack)
        return converse(args)


def converse(args: argparse.Namespace) -> int:
    # Fetch only the regions we call from: faster than every Bedrock region.
    catalog = BedrockModelCatalog(
        regions=args.regions,
        endpoint_url=args.endpoint_url,
        cache_mode="memory" if args.endpoint_url else "file",
    )
    try:
        manager = LLMManager(
            models=args.models,
            regions=args.regions,
            catalog=catalog,
            endpoint_url=args.endpoint_url,
        )
        messages = [{"role": "user", "content": [{"text": args.prompt}]}]
        if args.stream:
            stream = manager.converse_stream(messages=messages, inference_config={"maxTokens": 200})
            for text in stream:  # text chunks as they arrive
                print(text, end="", flush=True)
            print()
            attempts, model, region = stream.attempts, stream.model, stream.region_used
        else:
            response = manager.converse(messages=messages, inference_config={"maxTokens": 200})
            print(response.get_content())
            attempts, model, region = response.attempts, response.model, response.region_used
    except RetryExhaustedError as exc:  # AllTargetsFailedError: one line per attempt sent
        print(exc)
        return 1
    except NoCredentialsError:  # raised once, before any request is sent
        print(
            "error: no AWS credentials found; set AWS_PROFILE (or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY), or try --local-server from a checkout of the repository",
            file=sys.stderr,
        )
        return 1
    except LLMManagerError as exc:  # e.g. no model usable from these regions, with suggestions
        print(f"error: {exc}", file=sys.stderr)
        return 1
    name = model.name if model is not None else "?"
    print(f"answered by {name} in {region} after {len(attempts)} attempt(s):")
    for attempt in attempts:
        print(f"  {attempt.region:<12} {attempt.model_id:<48} {attempt.error_code or 'ok'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
