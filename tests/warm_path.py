"""What a warm start may not import: one list, enforced by tests/test_catalog.py and reported by
benchmarks/bench_warm_start.py."""

from __future__ import annotations

#: What a warm start must not import: what only the API step, the bundle, the transform or the
#: CLI uses, and the heavy standard modules (dataclasses pulls in inspect, ast and dis).
WARM_PATH_FORBIDDEN = (
    "boto3",
    "botocore",
    "importlib.resources",
    "dataclasses",
    "inspect",
    "logging",
    "hashlib",
    "typing",
    "tempfile",
    "shutil",
    "datetime",
    "difflib",
    "bestehorn_llmmanager.bedrock.catalog._types",
    "bestehorn_llmmanager.bedrock.catalog._transform",
    "bestehorn_llmmanager.bedrock.catalog._bundle",
    "bestehorn_llmmanager.bedrock.catalog._fetch",
    "bestehorn_llmmanager.bedrock.catalog._fallback",
    "bestehorn_llmmanager.cli",
    "bestehorn_llmmanager._llm",
    "bestehorn_llmmanager._errors",  # a warm start raises nothing: it loads on a failure
)
