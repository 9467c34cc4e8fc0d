"""The compatibility report of docs/migration.md: every public 0.9 name and what it does now.

The names come from ``tests/fixtures/reference_09/api_09.json`` (extracted from the 0.9.0 wheel,
docs and examples by ``--extract``); the statuses are checked against this package when
the report is built, so a row can only say "works" for a name that resolves at 0.9's path and
takes 0.9's parameters. ``tests/test_compat_report.py`` fails when the page and the package
disagree. Regenerate the section with::

    python -m tests.compat_report --write

and re-extract 0.9's names (only ever needed if the extraction changes) with::

    python -m tests.compat_report --extract WHEEL_DIR REFERENCE_DIR
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parent / "fixtures" / "reference_09" / "api_09.json"
MIGRATION = Path(__file__).parents[1] / "docs" / "migration.md"
HEADING = "## Compatibility report: every public 0.9 name"

WORKS = "works"
DIFFERS = "works, differs"
REMOVED = "removed"

#: The 0.9 import path of each public class whose members are listed.
CLASS_PATHS = {
    "LLMManager": "bestehorn_llmmanager.llm_manager",
    "BedrockResponse": "bestehorn_llmmanager.bedrock.models.bedrock_response",
    "StreamingResponse": "bestehorn_llmmanager.bedrock.models.bedrock_response",
    "ParallelLLMManager": "bestehorn_llmmanager.parallel_llm_manager",
    "BedrockConverseRequest": "bestehorn_llmmanager.bedrock.models.parallel_structures",
    "ParallelResponse": "bestehorn_llmmanager.bedrock.models.parallel_structures",
    "ParallelExecutionStats": "bestehorn_llmmanager.bedrock.models.parallel_structures",
    "ParallelProcessingConfig": "bestehorn_llmmanager.bedrock.models.parallel_structures",
    "FailureEntry": "bestehorn_llmmanager.bedrock.models.parallel_structures",
    "RegionAssignment": "bestehorn_llmmanager.bedrock.models.parallel_structures",
    "AuthConfig": "bestehorn_llmmanager.bedrock.models.llm_manager_structures",
    "RetryConfig": "bestehorn_llmmanager.bedrock.models.llm_manager_structures",
    "Boto3Config": "bestehorn_llmmanager.bedrock.models.llm_manager_structures",
    "ResponseValidationConfig": "bestehorn_llmmanager.bedrock.models.llm_manager_structures",
    "ValidationResult": "bestehorn_llmmanager.bedrock.models.llm_manager_structures",
    "CacheConfig": "bestehorn_llmmanager.bedrock.models.cache_structures",
    "ModelSpecificConfig": "bestehorn_llmmanager.bedrock.models.model_specific_structures",
    "ConverseMessageBuilder": "bestehorn_llmmanager.message_builder",
    "FileTypeDetector": "bestehorn_llmmanager.util.file_type_detector",
    "BedrockModelCatalog": "bestehorn_llmmanager.bedrock.catalog",
    "BedrockRegionDiscovery": "bestehorn_llmmanager.bedrock.discovery.region_discovery",
    "ParameterCompatibilityTracker": "bestehorn_llmmanager.bedrock.tracking",
    "AccessMethodTracker": "bestehorn_llmmanager.bedrock.tracking",
    "StreamingDisplayFormatter": "bestehorn_llmmanager.util.streaming_display",
}

_LLM = (
    "see [LLMManager, BedrockResponse and StreamingResponse]"
    "(#llmmanager-bedrockresponse-and-streamingresponse)"
)
_CATALOG = "see [Every 0.9 catalog name](#every-09-catalog-name)"
_BUILDER = "see [MessageBuilder and file type detection](#messagebuilder-and-file-type-detection)"
_ONCE = (
    "each request is sent once by the parallel layer; 0.9 re-sent a failed request up to "
    "`max_retries` times after sleeping, on top of the manager's own retries"
)

#: "Class.member" (or a top-level or path name) -> (status, note). Rows without a note work.
NOTES: dict[str, tuple[str, str]] = {
    # -- top level
    "LLMManager": (DIFFERS, _LLM),
    "ParallelLLMManager": (DIFFERS, "see its rows below"),
    "MessageBuilder": (DIFFERS, _BUILDER),
    "BedrockRegionDiscovery": (DIFFERS, "see its rows below: no cache file"),
    # -- LLMManager (the LLMManager section documents each difference)
    "LLMManager.__init__": (
        DIFFERS,
        f"`log_level=None` leaves the logger alone; `timeout` bounds each call; {_LLM}",
    ),
    "LLMManager.converse": (
        DIFFERS,
        f"`None` fields are dropped; failover leaves a throttled region at once; {_LLM}",
    ),
    "LLMManager.converse_stream": (
        DIFFERS,
        "fails over only before the first chunk; a broken stream raises "
        f"`StreamInterruptedError`; {_LLM}",
    ),
    "RetryConfig.<fields>": (
        DIFFERS,
        f"`retry_delay` and the backoff apply between whole rounds of targets, not between "
        f"targets; {_LLM}",
    ),
    "Boto3Config.<fields>": (
        DIFFERS,
        f"`retries_max_attempts` warns once and has no effect (botocore makes one attempt); {_LLM}",
    ),
    "StreamingResponse.<fields>": (
        DIFFERS,
        f"iterating yields text chunks as in 0.9 (`events()` gives the raw events); a stream "
        f"broken after its first chunk raises `StreamInterruptedError`; {_LLM}",
    ),
    # -- ParallelLLMManager
    "ParallelLLMManager.__init__": (
        DIFFERS,
        "additions: `llm_manager=` shares an existing manager, `**llm_options` passes further "
        "LLMManager arguments (`catalog=`, `session=`); one region is logged at INFO, not WARNING",
    ),
    "ParallelLLMManager.converse_parallel": (
        DIFFERS,
        f"{_ONCE}. Each request's first region is chosen when it starts (a region that just "
        "throttled goes last, so the others absorb its share); `target_regions_per_request` "
        "is recorded as the assignment and never narrows failover. `STOP_ON_FIRST_FAILURE` and "
        "`STOP_ON_THRESHOLD` stop sending and raise `ParallelExecutionError` whose "
        "`parallel_response` holds every answer (0.9 sent everything, then raised and lost the "
        'answers); unsent requests are answered "not sent" and can be retried',
    ),
    "ParallelLLMManager.retry_failed_requests": (
        DIFFERS,
        "sends the failed, timed-out and unsent requests once each and merges; under a stop "
        "strategy the merged answers travel in the raised error",
    ),
    # -- parallel data
    "ParallelProcessingConfig.<fields>": (
        DIFFERS,
        "`enable_automatic_retry` and `max_retries_per_request` are accepted and have no effect "
        f"({_ONCE}; use `retry_failed_requests`); `enable_request_prioritization` is accepted, "
        "requests start in the order given; `request_timeout_seconds` bounds each request, every "
        "failover attempt included (0.9 stopped waiting but left the request running, so it "
        "could still complete after being reported timed out); "
        'strategy strings such as `"round_robin"` are read as the enum',
    ),
    "ParallelExecutionStats.<fields>": (
        DIFFERS,
        "`region_distribution` counts the requests each region answered (0.9 counted "
        "assignments, which said nothing about where requests went); addition "
        "`access_method_distribution`, which 0.9's documentation showed here",
    ),
    "ParallelResponse.<fields>": (
        DIFFERS,
        "immutable (a frozen dataclass); `failed_requests` also lists requests a stop strategy "
        "left unsent",
    ),
    "FailureEntry.<fields>": (DIFFERS, "immutable (a frozen dataclass)"),
    "RegionAssignment.<fields>": (DIFFERS, "immutable (a frozen dataclass)"),
    "BedrockConverseRequest.<fields>": (
        DIFFERS,
        "generated ids are `req_<hash>_<unique number>` and never collide (0.9's hash + "
        "timestamp could, and then refused the batch); additions `output_config`, "
        "`performance_config`, `service_tier` (keyword-only)",
    ),
    "ParallelResponse.get_cache_metrics": (
        DIFFERS,
        "`cache_savings_cost` stays 0.0: the package knows no prices",
    ),
    # -- discovery, tracking, display
    "BedrockRegionDiscovery.__init__": (
        DIFFERS,
        "`cache_dir` is accepted and ignored with one `DeprecationWarning`: regions come from "
        "botocore's list (data shipped with botocore, no AWS call) and, with `catalog=` (an "
        "addition), leave out the regions the catalog's last fetch found unavailable; the "
        "answer is kept in memory for `cache_ttl_hours`. 0.9 wrote `bedrock_regions.json` "
        "into its own source tree",
    ),
    "BedrockRegionDiscovery.get_cache_info": (
        DIFFERS,
        "0.9's keys; `cache_file` is None (no file), `cache_exists` says an answer is "
        "remembered; addition: `source`",
    ),
    "BedrockRegionDiscovery.clear_cache": (DIFFERS, "forgets the remembered answer (no file)"),
    "BedrockRegionDiscovery.get_bedrock_regions": (
        DIFFERS,
        "raises `RegionDiscoveryError`, now an `LLMManagerError` (0.9: a plain `Exception`)",
    ),
    "ParameterCompatibilityTracker.record_failure": (
        DIFFERS,
        "`error` is optional; only its type is logged (its message may quote the request)",
    ),
    "ParameterCompatibilityTracker.get_instance": (
        DIFFERS,
        "the process-wide tracker; the manager's feature fallback decides per call and does not "
        "consult it (0.9's retry manager skipped parameters it had recorded as rejected)",
    ),
    "AccessMethodTracker.get_statistics": (
        DIFFERS,
        "0.9's keys, plus `access_method_distribution` (answers per access method), which "
        "0.9's documentation showed but 0.9 never returned",
    ),
    "AccessMethodTracker.get_instance": (
        DIFFERS,
        "fed by every manager of the process (answers and stale-catalog switches to a "
        "profile); routing does not read it back: the catalog and each manager's own record "
        "of a switch decide (0.9 reordered access methods from it)",
    ),
    "StreamingDisplayFormatter.__init__": (
        DIFFERS,
        "addition: `file=` (default `sys.stdout`); the module-level functions take it too",
    ),
    # -- the catalog (its section documents each difference)
    "BedrockModelCatalog.__init__": (
        DIFFERS,
        f"every 0.9 argument, by keyword (the positional order differs: pass them by name, as "
        f"0.9's examples do); {_CATALOG}",
    ),
    # -- paths 0.9's documentation used where 0.9 did not have the name
    "bestehorn_llmmanager.bedrock:BedrockModelCatalog": (
        WORKS,
        "0.9's migration guide imported it here, where 0.9 did not have it; it resolves now",
    ),
    "bestehorn_llmmanager.bedrock:CRISManager": (DIFFERS, "the deprecated shim; see above"),
    "bestehorn_llmmanager.bedrock:ModelManager": (DIFFERS, "the deprecated shim; see above"),
    "bestehorn_llmmanager.bedrock:UnifiedModelManager": (
        DIFFERS,
        "the deprecated shim; see above",
    ),
    "bestehorn_llmmanager.bedrock.exceptions:CatalogUnavailableError": (
        WORKS,
        "0.9's documentation imported it here, where 0.9 did not have it; it resolves now",
    ),
    "bestehorn_llmmanager.bedrock.tracking:AccessMethodTracker": (
        WORKS,
        "0.9's documentation imported it here, where 0.9's package did not export it; it "
        "resolves now",
    ),
}

for _member in ("converse_with_request", "validate_configuration", "refresh_model_data"):
    NOTES.setdefault(f"LLMManager.{_member}", (DIFFERS, _LLM))
for _member in ("get_catalog_metadata", "refresh_catalog", "list_models", "get_model_info"):
    NOTES.setdefault(f"BedrockModelCatalog.{_member}", (DIFFERS, _CATALOG))
for _member in ("add_local_document", "add_document_bytes", "add_image_bytes", "build"):
    NOTES.setdefault(f"ConverseMessageBuilder.{_member}", (DIFFERS, _BUILDER))
for _member in ("detect_document_format", "detect_image_format", "detect_video_format"):
    NOTES.setdefault(f"FileTypeDetector.{_member}", (DIFFERS, _BUILDER))


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def _resolve(path: str, name: str) -> Any:
    return getattr(importlib.import_module(path), name)


def _parameters(function: Any) -> tuple[list[str], bool] | None:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    names = [p for p in signature.parameters if p not in ("self", "cls")]
    var_keyword = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    return names, var_keyword


def check_member(cls: type, member: str, params: list[str], instance: Any = None) -> str | None:
    """Why ``cls.member`` does not take 0.9's form, or None when it does."""
    if member == "<fields>":
        fields = getattr(cls, "__dataclass_fields__", None)
        missing = [
            p
            for p in params
            if not (fields is not None and p in fields)
            and not hasattr(cls, p)
            and not (instance is not None and hasattr(instance, p))
        ]
        return f"no attribute {', '.join(missing)}" if missing else None
    if member == "__init__":
        target: Any = cls
    else:
        if inspect.getattr_static(cls, member, None) is None and not hasattr(cls, member):
            return "missing"
        static = inspect.getattr_static(cls, member, None)
        if isinstance(static, property):
            return None
        target = getattr(cls, member)
    found = _parameters(target)
    if found is None:
        return None
    names, var_keyword = found
    missing = [p for p in params if p not in names]
    if missing and not var_keyword:
        return f"does not take {', '.join(missing)}"
    return None


def positional_order_differs(cls: type, member: str, params: list[str]) -> bool:
    """True when 0.9's parameters, passed by position, would land on other parameters here."""
    if member == "<fields>":
        return False
    target = cls if member == "__init__" else getattr(cls, member, None)
    try:
        signature = inspect.signature(target)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    positional = [
        p.name
        for p in signature.parameters.values()
        if p.name not in ("self", "cls") and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return positional[: len(params)] != params[: len(positional)]


def rows(instances: dict[str, Any] | None = None) -> dict[str, list[tuple[str, str, str]]]:
    """Section -> rows of (name, status, note); raises AssertionError on a false claim."""
    data = _load()
    instances = instances or {}
    problems: list[str] = []
    sections: dict[str, list[tuple[str, str, str]]] = {}

    top = []
    for name in data["top_level_all"]:
        status, note = NOTES.get(name, (WORKS, ""))
        try:
            _resolve("bestehorn_llmmanager", name)
        except (ImportError, AttributeError) as exc:
            problems.append(f"top level {name}: {exc}")
        top.append((f"`{name}`", status, note))
    sections["top"] = top

    paths = []
    for path, names in data["import_paths"].items():
        had = set(data["import_paths_in_09"].get(path, ()))
        for name in names:
            status, note = NOTES.get(f"{path}:{name}", (WORKS, ""))
            if name not in had and not note:
                problems.append(f"{path}:{name} was not there in 0.9: add a note")
            try:
                _resolve(path, name)
            except (ImportError, AttributeError) as exc:
                problems.append(f"{path}:{name}: {exc}")
            paths.append((f"`from {path} import {name}`", status, note))
    sections["paths"] = paths

    for cls_name, members in data["classes"].items():
        cls = _resolve(CLASS_PATHS[cls_name], cls_name)
        entries = []
        for member, params in members.items():
            status, note = NOTES.get(f"{cls_name}.{member}", (WORKS, ""))
            problem = check_member(cls, member, params, instances.get(cls_name))
            if status != REMOVED and problem is not None:
                problems.append(f"{cls_name}.{member}: {problem}")
            if status == WORKS and positional_order_differs(cls, member, params):
                problems.append(f"{cls_name}.{member}: 0.9's positional order differs: add a note")
            if status == REMOVED and member in data["example_identifiers"]:
                problems.append(f"{cls_name}.{member}: removed but a 0.9 example uses it")
            label = "fields" if member == "<fields>" else f"`{member}()`"
            entries.append((label, status, note))
        sections[cls_name] = entries
    if problems:
        raise AssertionError("the report would not be true:\n" + "\n".join(problems))
    return sections


def _table(header: str, entries: list[tuple[str, str, str]]) -> list[str]:
    lines = [f"| {header} | Status | What differs, and why |", "|---|---|---|"]
    lines += [f"| {name} | {status} | {note} |" for name, status, note in entries]
    return lines


def render(instances: dict[str, Any] | None = None) -> str:
    sections = rows(instances)
    out = [
        HEADING,
        "",
        "Every public name of 0.9.0: its top-level `__all__`, every import the 0.9 README, docs "
        "and examples make, and every public method (and the fields) of the public classes. "
        "**works**: same name, parameters and meaning. **works, differs**: what differs and why "
        "(the sections above give the details for the catalog, MessageBuilder and LLMManager). "
        "**removed**: why, and the replacement. Nothing is removed. The table is generated by "
        "`python -m tests.compat_report --write` from 0.9.0's names "
        "(`tests/fixtures/reference_09/api_09.json`, extracted from the 0.9.0 wheel by "
        "`--extract`) and checked by "
        '`tests/test_compat_report.py`: a row can only say "works" when the name resolves at '
        "0.9's path and takes 0.9's parameters.",
        "",
        "### Top-level names (`bestehorn_llmmanager.__all__`)",
        "",
        *_table("Name", sections["top"]),
        "",
        "### Imports in 0.9's README, docs and examples",
        "",
        *_table("Import", sections["paths"]),
        "",
        "### Members of the public classes",
    ]
    for cls_name, entries in sections.items():
        if cls_name in ("top", "paths"):
            continue
        out += [
            "",
            f"#### `{cls_name}` (`{CLASS_PATHS[cls_name]}`)",
            "",
            *_table("Member", entries),
        ]
    out += [
        "",
        "### 0.9's examples",
        "",
        "All 45 entry points of 0.9's ten examples run unchanged (model names swapped for 2026-10 "
        "ones) against the local server in `tests/test_reference_examples.py`, but one: "
        "`lambda_complete_serverless_app.handle_list_models` reads `model.supports_streaming` and "
        "JSON-encodes `model.regions`, attributes 0.9's `UnifiedModelInfo` never had, so it "
        "failed in 0.9 too. Ours is `streaming_supported`, and `regions` maps each region to "
        "its access.",
        "",
    ]
    return "\n".join(out)


def write(text: str, doc: Path = MIGRATION) -> None:
    """Replace (or append) the report section of docs/migration.md, leaving the rest alone."""
    existing = doc.read_text(encoding="utf-8")
    start = existing.find(HEADING + "\n")
    if start == -1:
        doc.write_text(existing.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = existing.find("\n## ", start + len(HEADING))
    tail = existing[end + 1 :] if end != -1 else ""
    doc.write_text(existing[:start] + text + ("\n" + tail if tail else ""), encoding="utf-8")


# -- extracting 0.9's names (run once against the 0.9.0 wheel; the tests read only the JSON) ------

_CLASS_FILES = {
    "llm_manager.py": ["LLMManager"],
    "parallel_llm_manager.py": ["ParallelLLMManager"],
    "message_builder.py": ["ConverseMessageBuilder"],
    "bedrock/models/bedrock_response.py": ["BedrockResponse", "StreamingResponse"],
    "bedrock/models/parallel_structures.py": [
        "BedrockConverseRequest",
        "ParallelResponse",
        "ParallelExecutionStats",
        "ParallelProcessingConfig",
        "FailureEntry",
        "RegionAssignment",
    ],
    "bedrock/models/llm_manager_structures.py": [
        "AuthConfig",
        "RetryConfig",
        "Boto3Config",
        "ResponseValidationConfig",
        "ValidationResult",
    ],
    "bedrock/models/cache_structures.py": ["CacheConfig"],
    "bedrock/models/model_specific_structures.py": ["ModelSpecificConfig"],
    "bedrock/catalog/bedrock_catalog.py": ["BedrockModelCatalog"],
    "bedrock/discovery/region_discovery.py": ["BedrockRegionDiscovery"],
    "bedrock/tracking/parameter_compatibility_tracker.py": ["ParameterCompatibilityTracker"],
    "bedrock/tracking/access_method_tracker.py": ["AccessMethodTracker"],
    "util/streaming_display.py": ["StreamingDisplayFormatter"],
    "util/file_type_detector/file_type_detector.py": ["FileTypeDetector"],
}


def _top_level_all(wheel: Path) -> list[str]:
    tree = ast.parse((wheel / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__":
            return [e.value for e in node.value.elts]
    raise SystemExit("no __all__")


def _members(wheel: Path) -> dict[str, dict[str, list[str]]]:
    found: dict[str, dict[str, list[str]]] = {}
    for path, names in _CLASS_FILES.items():
        tree = ast.parse((wheel / path).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in names:
                entry: dict[str, list[str]] = {}
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        if item.name.startswith("_") and item.name != "__init__":
                            continue
                        args = [a.arg for a in item.args.args + item.args.kwonlyargs]
                        entry[item.name] = [a for a in args if a not in ("self", "cls")]
                    elif (
                        isinstance(item, ast.AnnAssign)
                        and isinstance(item.target, ast.Name)
                        and not item.target.id.startswith("_")
                    ):
                        entry.setdefault("<fields>", []).append(item.target.id)
                found[node.name] = entry
    return found


def _imports(reference: Path) -> dict[str, list[str]]:
    paths: dict[str, set[str]] = {}
    files = [
        reference / "README.md",
        *sorted((reference / "docs").glob("*.md")),
        *sorted((reference / "examples").glob("*.py")),
    ]
    for file in files:
        text = file.read_text()
        found = re.findall(r"from (bestehorn_llmmanager[\w.]*) import \(([^)]*)\)", text)
        found += re.findall(r"from (bestehorn_llmmanager[\w.]*) import ([^(\n]+)\n", text)
        for module, names in found:
            for part in re.split(r"[,\n]", re.sub(r"#.*", "", names)):
                name = part.strip().split(" as ")[0].strip()
                if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    paths.setdefault(module, set()).add(name)
    return {k: sorted(v) for k, v in sorted(paths.items())}


def _existed(wheel: Path, paths: dict[str, list[str]]) -> dict[str, list[str]]:
    """The names each path really had in 0.9 (defined or imported in that module)."""
    had: dict[str, list[str]] = {}
    for module, names in paths.items():
        relative = Path(*module.split(".")[1:])
        candidates = [wheel / relative / "__init__.py"]
        if relative.name:
            candidates.append(wheel / relative.with_suffix(".py"))
        source = next((c.read_text() for c in candidates if c.is_file()), "")
        had[module] = [
            n
            for n in names
            if re.search(
                rf"^(?:class|def) {n}\b|^{n}\s*=|import[^\n]*\b{n}\b|^\s+{n},?$"
                rf"|\b\w+ as {n}\b",
                source,
                re.M,
            )
        ]
    return had


def _example_names(reference: Path) -> list[str]:
    """Every identifier the examples use after a dot or call, for the 'used by an example' rule."""
    words: set[str] = set()
    for file in sorted((reference / "examples").glob("*.py")):
        words.update(re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", file.read_text()))
        words.update(re.findall(r"\b([A-Z][A-Za-z0-9_]*)\b", file.read_text()))
    return sorted(words)


def extract(wheel: Path, reference: Path) -> None:
    """Write api_09.json from the unpacked 0.9.0 package and 0.9.0's README, docs and examples."""
    paths = _imports(reference)
    data = {
        "top_level_all": _top_level_all(wheel),
        "import_paths": paths,
        "import_paths_in_09": _existed(wheel, paths),
        "classes": _members(wheel),
        "example_identifiers": _example_names(reference),
    }
    FIXTURE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--extract"]:
        extract(Path(argv[1]), Path(argv[2]))
        return 0
    text = render(streaming_instance())
    if "--write" in argv:
        write(text)
    else:
        print(text)
    return 0


def streaming_instance() -> dict[str, Any]:
    """A real StreamingResponse from the local server, for the instance attributes it has."""
    import os

    from tests.bedrock_runtime import install
    from tests.bedrock_server import BedrockServer

    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    from bestehorn_llmmanager import LLMManager
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    world = Path(__file__).parent / "fixtures" / "runtime_world"
    with BedrockServer.from_directory(world) as server:
        install(server)
        catalog = BedrockModelCatalog(
            cache_mode="none", regions=["us-east-1"], endpoint_url=server.url
        )
        manager = LLMManager(
            models=["Claude Haiku 4.5"],
            regions=["us-east-1"],
            catalog=catalog,
            endpoint_url=server.url,
        )
        stream = manager.converse_stream(messages=[{"role": "user", "content": [{"text": "hi"}]}])
        list(stream)
    return {"StreamingResponse": stream}


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
