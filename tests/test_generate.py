"""The bundle generator on small snapshot directories (never the real snapshot), driven through
its one command, ``bedrock-catalog bundle generate``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bestehorn_llmmanager import cli
from bestehorn_llmmanager.bedrock.catalog._fileformat import decode, format_time
from bestehorn_llmmanager.bedrock.catalog._generate import read_snapshot
from bestehorn_llmmanager.bedrock.catalog._types import RegionStatus
from tests.core_worlds import AS_OF, fm, profile


def main(argv: list[str]) -> int:
    """``bedrock-catalog bundle generate ARGV`` in this process."""
    return cli.main(["bundle", "generate", *argv])


SONNET = "anthropic.claude-sonnet-4-20250514-v1:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
AS_OF_TEXT = "2026-10-10T00:00:00Z"


def write_snapshot(root: Path, index: Any = None, regions: dict[str, Any] | None = None) -> Path:
    """A snapshot directory laid out like bedrock-snapshot-2026-10."""
    regions = (
        regions
        if regions is not None
        else {
            "us-east-1": (
                [
                    fm(HAIKU, "Claude 3 Haiku"),
                    fm(SONNET, "Claude Sonnet 4", types=["INFERENCE_PROFILE"]),
                ],
                [
                    profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"]),
                    profile(f"global.{SONNET}", SONNET, ["us-east-1"], is_global=True),
                ],
            ),
            "us-west-2": ([fm(HAIKU, "Claude 3 Haiku", region="us-west-2")], None),
        }
    )
    root.mkdir(parents=True, exist_ok=True)
    for region, (models, profiles) in regions.items():
        (root / region).mkdir()
        (root / region / "list-foundation-models.json").write_text(
            json.dumps({"modelSummaries": models})
        )
        if profiles is not None:
            (root / region / "list-inference-profiles.json").write_text(
                json.dumps({"inferenceProfileSummaries": profiles})
            )
    if index is None:
        index = {"as_of": AS_OF_TEXT, "regions": sorted(regions)}
    (root / "SNAPSHOT.json").write_text(json.dumps(index))
    return root


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return write_snapshot(tmp_path / "snapshot")


def test_read_snapshot_gives_every_region_as_an_ok_answer(snapshot: Path) -> None:
    result = read_snapshot(snapshot)

    assert result.retrieved_at == AS_OF
    assert sorted(result.answers) == ["us-east-1", "us-west-2"]
    assert all(a.outcome.status is RegionStatus.OK for a in result.answers.values())
    assert result.answers["us-west-2"].profile_summaries == ()  # no profiles file: none


def test_generator_writes_a_catalog_whose_retrieved_at_is_the_snapshot_as_of(
    snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out" / "bundle.json"

    assert main(["--from-snapshot", str(snapshot), "--output", str(output)]) == 0

    catalog = decode(output.read_bytes())
    assert format_time(catalog.metadata.retrieved_at) == AS_OF_TEXT
    assert catalog.get(f"us.{SONNET}", "us-east-1") is not None
    assert catalog.regions_for("Claude 3 Haiku") == ["us-east-1", "us-west-2"]
    assert b"111122223333" not in output.read_bytes()
    assert f"Wrote {output}: 2 models, data from {AS_OF_TEXT}" in capsys.readouterr().out
    assert output.stat().st_mode & 0o777 == 0o644


def test_generator_is_deterministic_byte_for_byte(
    snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = tmp_path / "a.json", tmp_path / "b.json"

    assert main(["--from-snapshot", str(snapshot), "--output", str(first)]) == 0
    assert main(["--from-snapshot", str(snapshot), "--output", str(second)]) == 0

    assert first.read_bytes() == second.read_bytes()
    # generated_at is derived from the input, not the wall clock.
    assert json.loads(first.read_bytes())["payload"]["generated_at"] == AS_OF_TEXT


def test_generator_honours_source_date_epoch(
    snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    output = tmp_path / "bundle.json"

    assert main(["--from-snapshot", str(snapshot), "--output", str(output)]) == 0

    payload = json.loads(output.read_bytes())["payload"]
    assert payload["generated_at"] == "2027-01-15T08:00:00Z"
    assert payload["retrieved_at"] == AS_OF_TEXT


def _bad_snapshots(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = {"us-east-1": ([fm(HAIKU)], [])}
    cases: dict[str, tuple[Path, str]] = {
        "missing": (tmp_path / "does-not-exist", "is not a directory"),
        "no index": (write_snapshot(tmp_path / "noindex", {}, good), "no 'as_of'"),
        "index is a list": (write_snapshot(tmp_path / "list", [], good), "no 'as_of'"),
        "as_of not text": (write_snapshot(tmp_path / "num", {"as_of": 5}, good), "no 'as_of'"),
        "as_of naive": (
            write_snapshot(tmp_path / "naive", {"as_of": "2026-10-10T00:00:00"}, good),
            "not a timezone-aware time",
        ),
        "as_of junk": (
            write_snapshot(tmp_path / "junk", {"as_of": "last tuesday"}, good),
            "not a timezone-aware time",
        ),
        "regions not a list": (
            write_snapshot(tmp_path / "regs", {"as_of": AS_OF_TEXT, "regions": "us-east-1"}, good),
            "must be a list",
        ),
        "region not a region": (
            write_snapshot(
                tmp_path / "notregion", {"as_of": AS_OF_TEXT, "regions": ["../etc"]}, {}
            ),
            "not an AWS region name",
        ),
        "region listed but missing": (
            write_snapshot(
                tmp_path / "gone",
                {"as_of": AS_OF_TEXT, "regions": ["us-east-1", "eu-west-1"]},
                good,
            ),
            "cannot read snapshot file",
        ),
        "no regions": (write_snapshot(tmp_path / "empty", {"as_of": AS_OF_TEXT}, {}), "no region"),
    }
    wrong_body = write_snapshot(tmp_path / "body", None, good)
    (wrong_body / "us-east-1" / "list-foundation-models.json").write_text("[]")
    cases["models file is a list"] = (wrong_body, "'modelSummaries' list")
    not_json = write_snapshot(tmp_path / "notjson", None, good)
    (not_json / "us-east-1" / "list-inference-profiles.json").write_text("{trunc")
    cases["profiles file not JSON"] = (not_json, "cannot read snapshot file")
    return cases


def test_bad_snapshot_directories_exit_1_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "never.json"
    for label, (directory, message) in _bad_snapshots(tmp_path).items():
        assert main(["--from-snapshot", str(directory), "--output", str(output)]) == 1, label
        error = capsys.readouterr().err
        assert error.startswith("bedrock-catalog: error: "), label
        assert message in error, (label, error)
        assert "Traceback" not in error
    assert not output.exists()


def test_snapshot_and_live_options_are_mutually_exclusive_and_one_is_required(
    snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 2
    assert main(["--from-snapshot", str(snapshot), "--live"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err
    # A snapshot holds its own regions: --regions is for --live only.
    output = tmp_path / "out.json"
    assert (
        main(["--from-snapshot", str(snapshot), "--regions", "us-east-1", "--output", str(output)])
        == 1
    )
    assert "--regions applies to --live" in capsys.readouterr().err
    assert not output.exists()


def test_the_shrink_gate_guards_a_snapshot_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "bundle.json"
    big = write_snapshot(tmp_path / "big")
    assert main(["--from-snapshot", str(big), "--output", str(output)]) == 0
    before = output.read_bytes()
    small = write_snapshot(
        tmp_path / "small",
        None,
        {"us-west-2": ([fm(HAIKU, "Claude 3 Haiku", region="us-west-2")], None)},
    )
    assert main(["--from-snapshot", str(small), "--output", str(output)]) == 1
    error = capsys.readouterr().err
    assert "shrink from 2 to 1" in error and "--force" in error
    assert output.read_bytes() == before
    assert main(["--from-snapshot", str(small), "--output", str(output), "--force"]) == 0
    assert len(decode(output.read_bytes())) == 1


def test_the_command_runs_in_a_subprocess(snapshot: Path, tmp_path: Path) -> None:
    output = tmp_path / "bundle.json"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bestehorn_llmmanager",
            "bundle",
            "generate",
            "--from-snapshot",
            str(snapshot),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "2 models" in done.stdout
    assert len(decode(output.read_bytes())) == 2


def test_the_generator_has_no_command_line_of_its_own() -> None:
    from bestehorn_llmmanager.bedrock.catalog import _generate

    assert not hasattr(_generate, "main") and not hasattr(_generate, "build_parser")
    assert "argparse" not in Path(_generate.__file__).read_text()
