"""Every entry point of 0.9's examples runs unchanged (model names aside) against the local server.

The 45 entry points are the public functions of the ten examples in
``tests/fixtures/reference_09/`` (copied from 0.9.0 with model names swapped for 2026-10 ones).
One subprocess per example imports it as 0.9 users would (its module-level setup included), calls
each entry point in turn with the event its ``__main__`` block uses, and reports per entry point:
returned or raised, what it printed. Every boto3 client in it points at the local server
(``AWS_ENDPOINT_URL_BEDROCK`` and ``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``), which serves the
fixtures' world; HOME is a temporary directory, so no cache or file reaches the real one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.bedrock_server import BedrockServer

REFERENCE = Path(__file__).parent / "fixtures" / "reference_09"
SRC = Path(__file__).parents[1] / "src"

_PROMPT = {"prompt": "What is machine learning?"}

#: example module -> its entry points, each with the keyword arguments its __main__ uses.
ENTRY_POINTS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "caching_example": [
        ("main", {}),
        ("example_with_manual_cache_points", {}),
        ("example_with_error_handling", {}),
    ],
    "catalog_basic_usage": [
        (f"example_{n}_{name}", {})
        for n, name in enumerate(
            [
                "basic_initialization",
                "check_model_availability",
                "get_model_info",
                "list_models",
                "catalog_metadata",
                "force_refresh",
                "custom_configuration",
                "error_handling",
            ],
            1,
        )
    ],
    "catalog_cache_modes": [
        (f"example_{n}_{name}", {})
        for n, name in enumerate(
            [
                "file_cache_mode",
                "memory_cache_mode",
                "none_cache_mode",
                "lambda_scenarios",
                "performance_comparison",
                "cache_configuration",
                "cache_invalidation",
            ],
            1,
        )
    ],
    "catalog_lambda_usage": [
        (f"lambda_handler_pattern_{n}", {"event": _PROMPT, "context": None}) for n in range(1, 7)
    ],
    "lambda_complete_serverless_app": [
        (
            "lambda_handler",
            {
                "event": {
                    "operation": "converse",
                    "prompt": "What is machine learning?",
                    "system_prompt": "You are a helpful AI assistant.",
                },
                "context": None,
            },
        ),
        ("handle_converse", {"event": _PROMPT, "context": None}),
        ("handle_stream", {"event": _PROMPT, "context": None}),
        (
            "handle_list_models",
            {
                "event": {
                    "operation": "list_models",
                    "region": "us-east-1",
                    "streaming_only": False,
                },
                "context": None,
            },
        ),
        (
            "handle_check_availability",
            {"event": {"model": "Claude Haiku 4.5", "region": "us-east-1"}, "context": None},
        ),
    ],
    "lambda_llm_manager_with_model_cache": [
        (
            "lambda_handler",
            {"event": {"prompt": "What is the capital of France?"}, "context": None},
        ),
        (
            "check_model_availability",
            {"event": {"model": "Claude Haiku 4.5", "region": "us-east-1"}, "context": None},
        ),
    ],
    "lambda_unified_model_manager": [
        (
            "lambda_handler",
            {"event": {"prompt": "Explain machine learning in one sentence."}, "context": None},
        ),
    ],
    "log_level_example": [("demo_log_levels", {})],
    "region_discovery_example": [
        (f"example_{name}", {})
        for name in [
            "basic_discovery",
            "cache_management",
            "custom_cache_config",
            "use_with_llm_manager",
            "geographic_filtering",
            "static_regions",
            "error_handling",
            "monitoring_cache_state",
        ]
    ],
    "streaming_example": [
        ("basic_streaming_example", {}),
        ("streaming_with_iterator_example", {}),
        ("streaming_error_recovery_example", {}),
        ("compare_streaming_vs_regular", {}),
    ],
}

#: Printed text that means an example caught a failure of ours and carried on.
FAILURE_MARKS = ("Traceback (most recent call last)", "❌", "Error:", "error:", "Failed")
#: Entry points that demonstrate an error on purpose, with the text that shows it went right.
EXPECTED_ERRORS: dict[tuple[str, str], str] = {}
_ANSWER = "Hello from "  # the local runtime's reply: a model really answered
#: Text an entry point's output (or returned body) must hold to count as having worked.
EXPECTED_TEXT: dict[tuple[str, str], tuple[str, ...]] = {
    **{("catalog_lambda_usage", f"lambda_handler_pattern_{n}"): (_ANSWER,) for n in range(1, 7)},
    ("lambda_complete_serverless_app", "lambda_handler"): (_ANSWER,),
    ("lambda_complete_serverless_app", "handle_converse"): (_ANSWER,),
    ("lambda_complete_serverless_app", "handle_stream"): (_ANSWER, '\\"chunks_count\\": 2'),
    ("lambda_complete_serverless_app", "handle_check_availability"): ('\\"available\\": true',),
    ("lambda_llm_manager_with_model_cache", "lambda_handler"): (_ANSWER,),
    ("lambda_llm_manager_with_model_cache", "check_model_availability"): ('\\"available\\": true',),
    ("lambda_unified_model_manager", "lambda_handler"): (_ANSWER,),
    ("caching_example", "main"): (_ANSWER, "--- Request 5 ---"),
    ("streaming_example", "basic_streaming_example"): (_ANSWER, "✅ Streaming completed!"),
    ("streaming_example", "streaming_with_iterator_example"): (_ANSWER, "Final status: True"),
    ("streaming_example", "streaming_error_recovery_example"): (_ANSWER, "completed successfully"),
    ("streaming_example", "compare_streaming_vs_regular"): ("✓ Success: True\n   ✓ Duration",),
    ("catalog_basic_usage", "example_2_check_model_availability"): ("✓ Available: Nova Pro",),
    ("catalog_basic_usage", "example_3_get_model_info"): ("Supports Streaming: True",),
    ("catalog_basic_usage", "example_8_error_handling"): ("Model not found (expected)",),
    ("region_discovery_example", "example_basic_discovery"): ("Bedrock-enabled regions:",),
    ("region_discovery_example", "example_static_regions"): ("(25):", "EU West 1: eu-west-1"),
    ("log_level_example", "demo_log_levels"): ("✓ ParallelLLMManager created",),
}
#: 0.9's own bugs in an example (not in the library): the entry point cannot run as written.
EXAMPLE_BUGS: dict[tuple[str, str], str] = {
    ("lambda_complete_serverless_app", "handle_list_models"): (
        "the example reads model.supports_streaming and json-dumps model.regions; 0.9's "
        "list_models() returned UnifiedModelInfo, which had neither attribute, so it failed in "
        "0.9 too (ours has streaming_supported, and regions maps each region to its access)"
    ),
}

_RUNNER = r"""
import contextlib, importlib, io, json, sys, traceback
module_name, calls, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
results = []
buffer = io.StringIO()
try:
    with contextlib.redirect_stdout(buffer):
        module = importlib.import_module(module_name)
    imported, import_error = True, None
except BaseException:
    imported, import_error = False, traceback.format_exc()
for name, kwargs in calls:
    entry = {"name": name, "import_output": buffer.getvalue()}
    if not imported:
        entry.update(ok=False, error=import_error, output="")
        results.append(entry)
        continue
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            returned = getattr(module, name)(**kwargs)
        entry.update(ok=True, error=None, returned=json.loads(json.dumps(returned, default=repr)))
    except BaseException:
        entry.update(ok=False, error=traceback.format_exc())
    entry["output"] = printed.getvalue()
    results.append(entry)
with open(out, "w", encoding="utf-8") as handle:
    json.dump(results, handle)
"""


@pytest.fixture(scope="module")
def reference_server() -> Iterator[BedrockServer]:
    from tests.bedrock_runtime import install

    with BedrockServer.from_directory(REFERENCE / "world") as server:
        install(server)
        yield server


def _environment(home: Path, server: BedrockServer) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "BEDROCK_CATALOG_")) and k not in ("XDG_CACHE_HOME", "HOME")
    }
    env.update(
        HOME=str(home),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(home / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-aws-credentials"),
        AWS_ENDPOINT_URL_BEDROCK=server.url,
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
        PYTHONPATH=os.pathsep.join([str(REFERENCE), str(SRC)]),
        PYTHONIOENCODING="utf-8",
    )
    return env


_RESULTS: dict[str, dict[str, dict[str, Any]]] = {}


@pytest.fixture(scope="module")
def run_module(reference_server: BedrockServer, tmp_path_factory: pytest.TempPathFactory) -> Any:
    def run(module: str) -> dict[str, dict[str, Any]]:
        if module not in _RESULTS:
            home = tmp_path_factory.mktemp(f"home-{module}")
            out = home / "results.json"
            proc = subprocess.run(
                [sys.executable, "-c", _RUNNER, module, json.dumps(ENTRY_POINTS[module]), str(out)],
                env=_environment(home, reference_server),
                cwd=home,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=300,
                check=False,
            )
            assert out.exists(), f"{module} did not finish:\n{proc.stdout}\n{proc.stderr}"
            results = json.loads(out.read_text(encoding="utf-8"))
            for entry in results:
                entry["stderr"] = proc.stderr
            _RESULTS[module] = {entry["name"]: entry for entry in results}
        return _RESULTS[module]

    return run


def test_there_are_45_entry_points_and_each_exists() -> None:
    assert sum(len(v) for v in ENTRY_POINTS.values()) == 45
    assert {p.stem for p in REFERENCE.glob("*.py")} == set(ENTRY_POINTS)
    for module, calls in ENTRY_POINTS.items():
        source = (REFERENCE / f"{module}.py").read_text(encoding="utf-8")
        for name, _ in calls:
            assert f"def {name}(" in source, (module, name)


def _failures(entry: dict[str, Any], key: tuple[str, str]) -> list[str]:
    problems: list[str] = []
    if not entry["ok"]:
        problems.append(f"raised:\n{entry['error']}")
    printed = entry.get("output", "")
    expected = EXPECTED_ERRORS.get(key)
    if expected is not None:
        if expected not in printed:
            problems.append(f"expected {expected!r} in the output")
    else:
        marks = [line for line in printed.splitlines() if any(m in line for m in FAILURE_MARKS)]
        if marks:
            problems.append("printed a caught failure:\n" + "\n".join(marks[:10]))
    returned = entry.get("returned")
    if isinstance(returned, dict) and "statusCode" in returned and returned["statusCode"] != 200:
        problems.append(f"answered {returned['statusCode']}: {returned.get('body')}")
    shown = printed + json.dumps(returned)
    for text in EXPECTED_TEXT.get(key, ()):
        if text not in shown:
            problems.append(f"expected {text!r} in what it printed or returned")
    return problems


@pytest.mark.parametrize(
    ("module", "entry_point"),
    [
        pytest.param(
            module,
            name,
            marks=[pytest.mark.xfail(strict=True, reason=EXAMPLE_BUGS[(module, name)])]
            if (module, name) in EXAMPLE_BUGS
            else [],
        )
        for module, calls in ENTRY_POINTS.items()
        for name, _ in calls
    ],
)
def test_entry_point_runs_unchanged(module: str, entry_point: str, run_module: Any) -> None:
    entry = run_module(module)[entry_point]
    problems = _failures(entry, (module, entry_point))
    assert not problems, (
        f"{module}.{entry_point}: " + "\n".join(problems) + f"\n--- output ---\n{entry['output']}"
        f"\n--- stderr (tail) ---\n{entry['stderr'][-3000:]}"
    )
