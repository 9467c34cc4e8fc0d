"""Stream an answer with LLMManager.converse_stream and print it as it arrives, the 0.9 way.

Iterating the StreamingResponse yields text chunks; the summary at the end comes from 0.9's
streaming display utility. Needs AWS credentials (or the endpoint variables, as for
builder_converse.py):

    python examples/streaming_converse.py "Write a haiku about failover."
"""

from __future__ import annotations

import argparse
import sys

from bestehorn_llmmanager import LLMManager, create_user_message
from bestehorn_llmmanager.util.streaming_display import display_streaming_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prompt", nargs="?", default="Write a haiku about failover.")
    parser.add_argument("--models", nargs="+", default=["Claude Haiku 4.5", "Nova Pro"])
    parser.add_argument("--regions", nargs="+", default=["us-east-1", "us-west-2"])
    args = parser.parse_args(argv)

    manager = LLMManager(models=args.models, regions=args.regions)
    message = create_user_message().add_text(args.prompt).build()
    stream = manager.converse_stream(messages=[message])
    for chunk in stream:
        print(chunk, end="", flush=True)
    print()
    display_streaming_summary(stream)
    if not stream.success:
        for error in stream.get_stream_errors():
            print(f"stream error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
