"""The workflows in .github/workflows stay honest: every bedrock-catalog command they run is one
this suite runs too, and the live AWS suite they call collects and skips cleanly here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _invocations() -> list[list[str]]:
    found = []
    for workflow in WORKFLOWS:
        for line in workflow.read_text().splitlines():
            match = re.search(r"bedrock-catalog ([a-z][^|>&\"]*)", line)
            if match and "run:" not in match.group(0):
                found.append(match.group(1).split())
    return found


def test_every_bedrock_catalog_command_in_a_workflow_is_tested() -> None:
    tested = (ROOT / "tests" / "test_cli.py").read_text()
    invocations = _invocations()
    assert {"generate", "verify", "diff", "list"} <= {w for inv in invocations for w in inv}
    for words in invocations:
        command = [w for w in words if not w.startswith(("$", "/", "src/", "'", '"'))]
        for word in command:
            assert f'"{word}"' in tested, f"`bedrock-catalog {' '.join(words)}`: {word} untested"


def test_the_live_suite_skips_with_a_reason_without_opt_in() -> None:
    env = {k: v for k, v in os.environ.items() if k != "BEDROCK_LIVE_TESTS"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-m", "aws", "tests/test_live_aws.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "4 skipped" in proc.stdout
    assert "set BEDROCK_LIVE_TESTS=1" in proc.stdout


_USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$")


def _uses() -> list[tuple[Path, str, str]]:
    found = []
    for workflow in WORKFLOWS:
        for line in workflow.read_text().splitlines():
            match = _USES.match(line)
            if match:
                found.append((workflow, match.group(1), match.group(2).strip()))
    return found


def test_every_action_is_pinned_by_commit_with_its_version_named() -> None:
    uses = _uses()
    assert len(uses) >= 10
    for workflow, ref, comment in uses:
        version = ref.partition("@")[2]
        assert re.fullmatch(r"[0-9a-f]{40}", version), f"{workflow.name}: {ref} is not a commit"
        assert re.fullmatch(r"# v\d+(\.\d+)*", comment), f"{workflow.name}: {ref} names no tag"


def test_checkouts_keep_no_token_and_aws_comes_from_oidc() -> None:
    for workflow in WORKFLOWS:
        text = workflow.read_text()
        assert text.count("actions/checkout@") == text.count("persist-credentials: false")
        assert "aws-access-key-id:" not in text and "secrets.AWS" not in text  # no stored keys
        if "configure-aws-credentials" in text:
            assert "role-to-assume:" in text and "id-token: write" in text
    release = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert "configure-aws-credentials" in release and "gh-action-pypi-publish" in release
    assert "password:" not in release  # PyPI trusted publishing, no token


def test_ci_run_checks_the_workflows_with_actionlint_and_zizmor() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "zizmor --offline" in script and "actionlint .github/workflows" in script
    assert script.rstrip().endswith("python -m pytest -q")  # the README's test command


@pytest.mark.skipif(shutil.which("zizmor") is None, reason="zizmor is not installed (.ci/run does)")
def test_zizmor_finds_nothing() -> None:
    proc = subprocess.run(
        ["zizmor", "--offline", "--no-progress", str(ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(
    shutil.which("actionlint") is None, reason="actionlint is not installed (.ci/run does)"
)
def test_actionlint_finds_nothing() -> None:
    proc = subprocess.run(
        ["actionlint", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- release files: licence, changelog, project URLs, README links ---------------------------


def test_the_mit_licence_ships_with_the_notice_and_is_declared_for_the_wheel() -> None:
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License\n\nCopyright (c) 2026 bestehorn-llmmanager developers\n")
    assert "The above copyright notice and this permission notice shall be included" in licence
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = "MIT"' in pyproject and 'license-files = ["LICENSE"]' in pyproject
    ci = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert "dist-info/licenses/LICENSE" in ci  # the wheel job checks the built wheel


def test_the_changelog_and_project_urls_exist_and_match_the_version() -> None:
    from bestehorn_llmmanager import __version__

    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## [{__version__}]" in changelog
    pyproject = (ROOT / "pyproject.toml").read_text()
    urls = pyproject.split("[project.urls]", 1)[1].split("\n[", 1)[0]
    for key in ("Homepage", "Repository", "Issues", "Changelog"):
        assert re.search(rf'^{key} = "https://', urls, re.M), key


def test_readme_links_work_on_pypi() -> None:
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)]+)\)", readme)
    assert targets
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#"))]
    assert relative == [], relative
