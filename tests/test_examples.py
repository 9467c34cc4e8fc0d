"""Every script in examples/ runs offline: against the bundled data or the local Bedrock server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bedrock_server import BedrockServer
from tests.conftest import FIXTURES
from tests.test_cli import cli_env

EXAMPLES = Path(__file__).parents[1] / "examples"


def run_example(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[tuple[BedrockServer, object, dict[str, str]]]:
    """The local server with the runtime routes, and an environment pointing every client at it."""
    from tests.bedrock_runtime import install

    with BedrockServer.from_directory(FIXTURES / "runtime_world") as server:
        state = install(server)
        env = cli_env(tmp_path, credentials=True, endpoint=server.url)
        env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = server.url
        yield server, state, env


def test_every_example_is_tested() -> None:
    # The 0.9-style examples are tested in test_examples_09.py.
    here = Path(__file__)
    source = here.read_text() + here.with_name("test_examples_09.py").read_text()
    for script in EXAMPLES.glob("*.py"):
        assert f'"{script.name}"' in source, f"{script.name} has no test"


def test_catalog_query_answers_offline(tmp_path: Path) -> None:
    env = cli_env(tmp_path)  # no credentials: the bundled data answers
    result = run_example("catalog_query.py", "Claude Haiku 4.5", "eu-central-1", env=env)
    assert result.returncode == 0, result.stderr
    assert "send modelId='eu.anthropic.claude-haiku-4-5-20251001-v1:0'" in result.stdout
    assert "data: bundled" in result.stdout
    typo = run_example("catalog_query.py", "Claude Haiku 4.4", "--offline", env=env)
    assert typo.returncode == 1 and "did you mean" in typo.stdout


def test_list_callable_models_offline(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    result = run_example(
        "list_callable_models.py", "eu-west-1", "--provider", "Anthropic", "--offline", env=env
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].endswith("models callable from eu-west-1 (bundled data)")
    assert all("anthropic." in line for line in lines[:-1]) and len(lines) > 1


def test_converse_with_failover_against_the_local_server(
    runtime: tuple[BedrockServer, object, dict[str, str]],
) -> None:
    server, state, env = runtime
    state.fail("us-east-1", "ThrottlingException")  # type: ignore[attr-defined]
    result = run_example("converse_with_failover.py", "--endpoint-url", server.url, env=env)
    assert result.returncode == 0, result.stderr
    assert "Hello from" in result.stdout
    assert "answered by Claude Haiku 4.5 in us-west-2 after 2 attempt(s)" in result.stdout
    assert "ThrottlingException" in result.stdout
    # With --endpoint-url the catalog stays in memory: test data never lands in the cache file.
    assert not (Path(env["BEDROCK_CATALOG_CACHE_DIR"]) / "bedrock_catalog.json").exists()
    streamed = run_example("converse_with_failover.py", "--stream", env=env)
    assert streamed.returncode == 0, streamed.stderr
    assert "Hello from" in streamed.stdout and "in us-west-2" in streamed.stdout


def test_converse_with_failover_without_credentials_or_with_its_local_server(
    tmp_path: Path,
) -> None:
    env = cli_env(tmp_path)  # no credentials, every endpoint a closed port
    refused = run_example("converse_with_failover.py", env=env)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "error: no AWS credentials found" in refused.stderr and "--local-server" in (
        refused.stderr
    )
    local = run_example("converse_with_failover.py", "--local-server", env=env)
    assert local.returncode == 0, local.stderr
    assert "answered by Claude Haiku 4.5 in us-east-1 after 1 attempt(s)" in local.stdout
    typo = run_example(
        "converse_with_failover.py", "--local-server", "--models", "Claude Haiku 4.4", env=env
    )
    assert typo.returncode == 1 and "did you mean 'Claude Haiku 4.5'" in typo.stderr


def test_lambda_handler_lists_offline_and_converses_warm(
    runtime: tuple[BedrockServer, object, dict[str, str]], tmp_path: Path
) -> None:
    offline = cli_env(tmp_path)
    event = json.dumps({"action": "models", "region": "eu-west-1"})
    listed = run_example("lambda_handler.py", event, env=offline)
    assert listed.returncode == 0, listed.stderr
    answer = json.loads(listed.stdout)
    assert answer["source"] == "bundled" and answer["models"]

    server, _, env = runtime
    # Two events in one process, as in a warm Lambda container: one catalog fetch in total.
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from lambda_handler import handler\n"
        "for _ in range(2): print(json.dumps(handler({'prompt': 'hi'}, None)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(EXAMPLES)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["model"] == "Claude Haiku 4.5" and first["region"] == "us-east-1"
    assert second == first
    assert server.count(operation="ListFoundationModels") == 2  # us-east-1 and us-west-2, once


def test_lambda_handler_runs_as_written_without_arguments_or_credentials(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    env["BEDROCK_REGIONS"] = "us-east-1, us-west-2"  # a space after the comma, as people write it
    listed = run_example("lambda_handler.py", env=env)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["region"] == "us-east-1"
    assert "Traceback" not in listed.stderr
    failed = run_example("lambda_handler.py", json.dumps({"prompt": "hi"}), env=env)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    answer = json.loads(failed.stdout)
    assert answer["type"] == "NoCredentialsError" and "credentials" in answer["error"]


def _python_blocks(markdown: Path) -> list[str]:
    text = markdown.read_text()
    return [block.split("```", 1)[0] for block in text.split("```python\n")[1:]]


def test_docs_lambda_shows_the_handler_file_itself() -> None:
    docs = Path(__file__).parents[1] / "docs" / "lambda.md"
    (block,) = _python_blocks(docs)
    assert block == (EXAMPLES / "lambda_handler.py").read_text()


def test_the_readme_snippets_run_as_written(
    runtime: tuple[BedrockServer, object, dict[str, str]], tmp_path: Path
) -> None:
    readme = Path(__file__).parents[1] / "README.md"
    catalog_block, manager_block = _python_blocks(readme)[:2]
    assert "BedrockModelCatalog()" in catalog_block and "LLMManager(" in manager_block
    offline = subprocess.run(
        [sys.executable, "-c", catalog_block],
        env=cli_env(tmp_path / "offline"),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout.startswith("eu.anthropic.claude-haiku-4-5-20251001-v1:0\n")
    _, _, env = runtime
    live = subprocess.run(
        [sys.executable, "-c", manager_block],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert live.returncode == 0, live.stderr
    answered = "True us.anthropic.claude-haiku-4-5-20251001-v1:0 us-east-1 {'input_tokens'"
    assert answered in live.stdout
