"""docs/migration.md's compatibility report is true: every public 0.9 name is listed, every row
that says "works" resolves at 0.9's path and takes 0.9's parameters, nothing a 0.9 example uses is
removed, and the page holds exactly what the package answers today."""

from __future__ import annotations

import json

import pytest

from bestehorn_llmmanager import LLMManager
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
from tests import compat_report
from tests.bedrock_runtime import Runtime
from tests.bedrock_server import BedrockServer


@pytest.fixture
def instances(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> dict[str, object]:
    manager = LLMManager(
        models=["Claude Haiku 4.5"], regions=["us-east-1"], catalog=runtime_catalog
    )
    stream = manager.converse_stream(messages=[{"role": "user", "content": [{"text": "hi"}]}])
    list(stream)
    return {"StreamingResponse": stream}


def test_every_public_0_9_name_is_in_the_report(instances: dict[str, object]) -> None:
    data = json.loads(compat_report.FIXTURE.read_text(encoding="utf-8"))
    sections = compat_report.rows(instances)  # raises when a row would not be true
    assert [row[0] for row in sections["top"]] == [f"`{n}`" for n in data["top_level_all"]]
    assert len(sections["paths"]) == sum(len(v) for v in data["import_paths"].values())
    for cls_name, members in data["classes"].items():
        assert len(sections[cls_name]) == len(members), cls_name
    statuses = {row[1] for rows in sections.values() for row in rows}
    assert statuses <= {compat_report.WORKS, compat_report.DIFFERS}  # nothing is removed


def test_migration_md_holds_the_report_as_the_package_answers_it(
    instances: dict[str, object],
) -> None:
    page = compat_report.MIGRATION.read_text(encoding="utf-8")
    assert compat_report.render(instances) in page, (
        "docs/migration.md is out of date: run python -m tests.compat_report --write"
    )


def test_a_false_claim_is_caught() -> None:
    from bestehorn_llmmanager.parallel_llm_manager import ParallelLLMManager

    assert compat_report.check_member(ParallelLLMManager, "no_such_method", []) == "missing"
    assert "does not take" in (
        compat_report.check_member(ParallelLLMManager, "converse_parallel", ["requests", "x"]) or ""
    )
    assert compat_report.check_member(ParallelLLMManager, "converse_parallel", ["requests"]) is None


def test_the_sections_the_report_links_to_exist() -> None:
    import re

    page = compat_report.MIGRATION.read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in page.splitlines()
        if line.startswith("#")
    }
    notes = " ".join(note for _, note in compat_report.NOTES.values())
    linked = set(re.findall(r"\]\(#([a-z0-9-]+)\)", notes))
    assert linked and linked <= anchors, linked - anchors
