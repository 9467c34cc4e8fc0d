"""0.9's LLMManager README snippets run unchanged (model names aside) in a fresh process.

The snippets are in ``tests/fixtures/reference_09/readme_llm_manager.md``. Each runs in its own
subprocess, as a 0.9 user's script would, with HOME a temporary directory holding an AWS config
that defines the profile a snippet names, and every boto3 client pointed at the local server. A
probe then sends one request through the ``manager`` the snippet built (with ``LLMManager``
and ``create_user_message`` imported, and a ``manager`` for the snippet that uses one, as the
README set them up in earlier snippets). 0.9's examples
(``streaming_example.py``, the Lambda examples, ...) run in ``tests/test_reference_examples.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bedrock_server import BedrockServer
from tests.test_reference_examples import _environment

REFERENCE = Path(__file__).parent / "fixtures" / "reference_09"

_PROBE = r"""
import json, runpy, sys
# What the README set up in earlier snippets: the imports and, where a snippet uses it, `manager`.
from bestehorn_llmmanager import LLMManager, create_user_message
given = {"LLMManager": LLMManager, "create_user_message": create_user_message}
if sys.argv[2] == "needs-manager":
    given["manager"] = LLMManager(models=["Claude Haiku 4.5"], regions=["us-east-1"])
namespace = runpy.run_path(sys.argv[1], init_globals=given)
manager = namespace["manager"]
response = manager.converse(messages=[{"role": "user", "content": [{"text": "Hi"}]}])
print(json.dumps({"success": response.success, "model": response.model_used,
                  "region": response.region_used, "content": response.get_content()}))
"""


def snippets() -> list[tuple[str, str]]:
    text = (REFERENCE / "readme_llm_manager.md").read_text(encoding="utf-8")
    found = re.findall(r"## (lines \d+-\d+)\n\n```python\n(.*?)```", text, re.S)
    return [(name, code) for name, code in found]


@pytest.fixture(scope="module")
def reference_server() -> Iterator[BedrockServer]:
    from tests.bedrock_runtime import install

    with BedrockServer.from_directory(REFERENCE / "world") as server:
        install(server)
        yield server


def test_there_are_the_three_readme_snippets() -> None:
    assert [name for name, _ in snippets()] == ["lines 567-583", "lines 877-903", "lines 928-978"]


@pytest.mark.parametrize(("name", "code"), snippets(), ids=[n for n, _ in snippets()])
def test_readme_snippet_runs_unchanged(
    name: str, code: str, reference_server: BedrockServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "config").write_text(
        "[profile my-aws-profile]\nregion = us-east-1\n"
        "aws_access_key_id = from-profile\naws_secret_access_key = secret\n",
        encoding="utf-8",
    )
    script = tmp_path / "snippet.py"
    script.write_text(code, encoding="utf-8")
    env = _environment(home, reference_server)  # the examples' process set-up, shared
    env.update(
        AWS_CONFIG_FILE=str(home / ".aws" / "config"),
        BEDROCK_CATALOG_CACHE_DIR=str(tmp_path / "cache"),
    )
    if "profile_name" in code:  # then only the profile can sign: proof that it was used
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    needs = "needs-manager" if "manager = " not in code else "-"
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(script), needs],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{name}:\n{proc.stdout}\n{proc.stderr}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["success"] is True and result["region"] == "us-east-1"
    assert result["model"].endswith("anthropic.claude-haiku-4-5-20251001-v1:0")
    assert result["content"].startswith("Hello from")
