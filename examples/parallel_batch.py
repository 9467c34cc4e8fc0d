"""Send a batch of prompts at once with ParallelLLMManager, the 0.9 way.

Each request is sent once; it starts in the region the load balancer picks (a region that
throttled earlier in the batch goes last) and fails over through the other regions. Needs AWS
credentials (or the endpoint variables, as for builder_converse.py):

    python examples/parallel_batch.py --count 12 --concurrency 4
"""

from __future__ import annotations

import argparse

from bestehorn_llmmanager import ParallelLLMManager, create_user_message
from bestehorn_llmmanager.bedrock.models.parallel_structures import (
    BedrockConverseRequest,
    LoadBalancingStrategy,
    ParallelProcessingConfig,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8, help="how many prompts")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--models", nargs="+", default=["Claude Haiku 4.5"])
    parser.add_argument("--regions", nargs="+", default=["us-east-1", "us-west-2", "eu-west-1"])
    args = parser.parse_args(argv)

    manager = ParallelLLMManager(
        models=args.models,
        regions=args.regions,
        parallel_config=ParallelProcessingConfig(
            max_concurrent_requests=args.concurrency,
            load_balancing_strategy=LoadBalancingStrategy.ROUND_ROBIN,
        ),
    )
    requests = [
        BedrockConverseRequest(
            request_id=f"fact-{n}",
            messages=[create_user_message().add_text(f"Tell me fact number {n}.").build()],
            inference_config={"maxTokens": 100},
        )
        for n in range(1, args.count + 1)
    ]
    batch = manager.converse_parallel(requests=requests)
    for request_id, response in batch.request_responses.items():
        answer = response.get_content() if response.success else response.get_warnings()
        print(f"{request_id}: {response.region_used}: {answer}")
    stats = batch.parallel_execution_stats
    print(f"success rate: {batch.get_success_rate():.1f}%")
    if stats is not None:
        regions = ", ".join(f"{r}={n}" for r, n in sorted(stats.region_distribution.items()))
        print(f"answered per region: {regions}")
    print(f"tokens: {batch.get_total_tokens_used()['total_tokens']}")
    return 0 if batch.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
