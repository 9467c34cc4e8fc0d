"""The 0.9-style examples (builder + converse, streaming, parallel batch, Lambda) run offline as
scripts against the local server, through real boto3 clients pointed at it by environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bedrock_runtime import CONVERSE, CONVERSE_STREAM, Runtime
from tests.bedrock_server import BedrockServer
from tests.conftest import FIXTURES
from tests.test_examples import EXAMPLES, run_example
from tests.test_reference_examples import _environment

SCRIPTS_09 = (
    "builder_converse.py",
    "streaming_converse.py",
    "parallel_batch.py",
    "lambda_converse_handler.py",
)


@pytest.fixture
def local(tmp_path: Path) -> Iterator[tuple[BedrockServer, Runtime, dict[str, str]]]:
    from tests.bedrock_runtime import install

    with BedrockServer.from_directory(FIXTURES / "runtime_world") as server:
        runtime = install(server)
        # The same isolated environment as 0.9's examples get (HOME a temp dir, both endpoints
        # at the local server), plus a cache directory of its own.
        env = _environment(tmp_path, server)
        env["BEDROCK_CATALOG_CACHE_DIR"] = str(tmp_path / "cache")
        yield server, runtime, env


def test_each_0_9_style_example_exists() -> None:
    for script in SCRIPTS_09:
        assert (EXAMPLES / script).is_file(), script


def test_builder_converse(local: tuple[BedrockServer, Runtime, dict[str, str]]) -> None:
    _, runtime, env = local
    runtime.fail("us-east-1", "ThrottlingException")
    result = run_example("builder_converse.py", "Explain failover.", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Hello from us.anthropic.claude-haiku-4-5-20251001-v1:0 in us-west-2."
    assert "region: us-west-2" in lines[1] and "attempts: 2" in lines[1]
    sent = [c.body for c in runtime.calls(operation=CONVERSE)]
    assert sent[-1]["messages"] == [{"role": "user", "content": [{"text": "Explain failover."}]}]
    assert sent[-1]["inferenceConfig"] == {"maxTokens": 256}


def test_builder_converse_says_why_nothing_answered(
    local: tuple[BedrockServer, Runtime, dict[str, str]],
) -> None:
    _, runtime, env = local
    for region in ("us-east-1", "us-west-2"):
        runtime.fail(region, "AccessDeniedException")
    result = run_example("builder_converse.py", "--models", "Claude Haiku 4.5", env=env)
    assert result.returncode == 1
    assert "AccessDeniedException" in result.stderr


def test_streaming_converse(local: tuple[BedrockServer, Runtime, dict[str, str]]) -> None:
    _, runtime, env = local
    result = run_example("streaming_converse.py", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Hello from us.anthropic.claude-haiku-4-5-20251001-v1:0 in us-east-1.\n"
    )
    assert "Streaming Summary" in result.stdout and "✅ Success: True" in result.stdout
    assert len(runtime.calls(operation=CONVERSE_STREAM)) == 1


def test_parallel_batch(local: tuple[BedrockServer, Runtime, dict[str, str]]) -> None:
    _, runtime, env = local
    result = run_example("parallel_batch.py", "--count", "9", "--concurrency", "3", env=env)
    assert result.returncode == 0, result.stderr
    answers = [line for line in result.stdout.splitlines() if line.startswith("fact-")]
    assert len(answers) == 9 and all("Hello from" in line for line in answers)
    assert "success rate: 100.0%" in result.stdout
    assert "answered per region: eu-west-1=3, us-east-1=3, us-west-2=3" in result.stdout
    assert len(runtime.calls(operation=CONVERSE)) == 9


def test_lambda_converse_handler(local: tuple[BedrockServer, Runtime, dict[str, str]]) -> None:
    _, runtime, env = local
    runtime.fail("us-west-2", "ThrottlingException")  # not reached: us-east-1 answers first
    result = run_example("lambda_converse_handler.py", env=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["statusCode"] == 200
    body = json.loads(answer["body"])
    assert body["region_used"] == "us-east-1"
    assert body["content"].startswith("Hello from")
    assert body["usage"]["total_tokens"] > 0
    assert [c.region for c in runtime.calls()] == ["us-east-1"]


def test_lambda_handler_refuses_an_event_without_prompt(
    local: tuple[BedrockServer, Runtime, dict[str, str]],
) -> None:
    _, runtime, env = local
    code = "import json, lambda_converse_handler as h;print(json.dumps(h.lambda_handler({}, None)))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "PYTHONPATH": os.pathsep.join([str(EXAMPLES), env["PYTHONPATH"]])},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["statusCode"] == 400
    assert runtime.calls() == []  # nothing built, nothing sent
