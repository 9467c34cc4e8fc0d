"""The bedrock-catalog command, driven like a person would: a subprocess per invocation.

Every subprocess gets an environment that cannot reach AWS: no credentials unless a test asks for
dummy ones, instance metadata disabled, no config files, and the Bedrock endpoints pointed at the
local test server or at a closed local port.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bedrock_server import BedrockServer
from tests.conftest import FIXTURES

SNAPSHOT_OLD = FIXTURES / "cli_snapshot"
SNAPSHOT_NEW = FIXTURES / "cli_snapshot_new"
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens: a request that escapes fails at once


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


def cli_env(
    home: Path, *, credentials: bool = False, endpoint: str | None = None, **extra: str
) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "BEDROCK_CATALOG_"))
        and k not in ("XDG_CACHE_HOME", "COLUMNS", "LINES")  # a terminal's size is the test's
    }
    env.update(
        HOME=str(home),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(home / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-aws-credentials"),
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL_BEDROCK=endpoint or CLOSED_PORT,
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=CLOSED_PORT,
        BEDROCK_CATALOG_CACHE_DIR=str(home / "cache"),
        PYTHONIOENCODING="utf-8",
        # The store's per-user fallback lives under the temp dir: one per test, never the
        # machine's shared /tmp (another process's cache there would answer instead).
        TMPDIR=str(home / "tmp"),
    )
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    if credentials:
        env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    env.update(extra)
    return env


def run(*args: str, env: Mapping[str, str], cwd: Path | None = None) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "bestehorn_llmmanager", *args],
        check=False,
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return cli_env(home)


# -- list and show, offline from the bundle ------------------------------------------------------


def test_list_without_credentials_uses_the_bundle_and_says_so_once(env: dict[str, str]) -> None:
    result = run("list", "--region", "us-east-1", env=env)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["NAME", "PROVIDER", "CONVERSE", "ID", "ACCESS"]
    assert len(lines) > 20
    # Into a pipe nothing is cut, however long (a terminal gets a table fitted to its width).
    assert "…" not in result.out
    assert any("us.anthropic.claude-haiku-4-5" in line for line in lines)
    notes = result.err.splitlines()
    assert len(notes) == 1, result.err
    assert "bundled" in notes[0] and "days old" in notes[0]
    assert "no AWS credentials found" in notes[0]


def test_list_json_is_complete_and_never_cut(env: dict[str, str]) -> None:
    result = run("list", "--region", "us-east-1", "--json", env=env)
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict)
    assert data["source"] == "bundled" and data["region"] == "us-east-1"
    assert data["count"] == len(data["models"]) > 20
    for model in data["models"]:
        assert "…" not in json.dumps(model)
        access = model["access"]
        assert access["converse_id"] in (
            access["direct_model_id"],
            access["regional_profile_id"],
            access["global_profile_id"],
        )
        assert "us-east-1" in model["regions"]


def test_list_filters_narrow_the_table(env: dict[str, str]) -> None:
    result = run(
        "list",
        "--provider",
        "anthropic",
        "--streaming",
        "--no-legacy",
        "--input-modality",
        "image",
        "--output-modality",
        "TEXT",
        "--json",
        env=env,
    )
    assert result.code == 0, result.err
    models = result.json()["models"]  # type: ignore[index]
    assert models
    for model in models:
        assert model["provider"] == "Anthropic" and model["streaming"] is True
        assert not model["legacy"] and "IMAGE" in model["input_modalities"]
    table = run("list", "--provider", "Anthropic", env=env)
    assert table.code == 0
    assert table.out.splitlines()[0].split() == ["NAME", "PROVIDER", "MODEL", "ID", "REGIONS"]


def test_show_prints_details_and_one_row_per_region(env: dict[str, str]) -> None:
    table = run("show", "Claude Haiku 4.5", env=env)
    assert table.code == 0, table.err
    assert table.out.startswith("Claude Haiku 4.5\n")
    assert "anthropic.claude-haiku-4-5-20251001-v1:0" in table.out
    rows = [line for line in table.out.splitlines() if line.startswith("eu-central-1 ")]
    assert len(rows) == 1 and "eu.anthropic.claude-haiku-4-5" in rows[0]
    assert "…" not in table.out

    data = run("show", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "--json", env=env).json()
    model = data["model"]  # type: ignore[index]
    assert model["name"] == "Claude Haiku 4.5"
    assert model["regions"]["eu-central-1"]["converse_id"].startswith("eu.anthropic.")

    # --regions narrows the rows to those regions, in the table and in JSON.
    two = run("show", "Claude Haiku 4.5", "--regions", "us-east-1", "eu-central-1", env=env)
    assert two.code == 0, two.err
    shown = [line.split()[0] for line in two.out.splitlines() if line[:3] in ("us-", "eu-")]
    assert shown == ["eu-central-1", "us-east-1"]
    narrowed = run("show", "Claude Haiku 4.5", "--regions", "us-east-1", "--json", env=env)
    assert list(narrowed.json()["model"]["regions"]) == ["us-east-1"]  # type: ignore[index]


def test_unknown_model_fails_with_suggestions(env: dict[str, str]) -> None:
    result = run("show", "Claude Haiku 4.4", env=env)
    assert result.code == 1
    assert result.out == ""
    error = [line for line in result.err.splitlines() if "error:" in line]
    assert len(error) == 1 and "did you mean" in error[0] and "Claude Haiku" in error[0]
    assert result.err.rstrip().splitlines()[-1].startswith("hint: ")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["lst"], "did you mean 'list'?"),
        (["list", "--regoin", "us-east-1"], "did you mean --region?"),
        (["list", "--region", "us-east1"], "--help"),
        (["cache"], "--help"),
        (["--cache-mode", "fiel", "list"], "--help"),
        (["bundle", "generate"], "--help"),
    ],
)
def test_usage_errors_exit_2_with_a_hint(env: dict[str, str], args: list[str], hint: str) -> None:
    result = run(*args, env=env)
    assert result.code == 2
    assert result.out == ""
    # One line plus a hint, like every other error (no multi-line usage block).
    error, hint_line = result.err.splitlines()
    assert error.startswith("bedrock-catalog: error:")
    assert hint_line.startswith("hint: ") and hint in hint_line


def test_errors_about_files_regions_and_profiles_are_one_line_and_a_hint(
    tmp_path: Path, env: dict[str, str]
) -> None:
    missing = run("bundle", "verify", str(tmp_path / "nope.json"), env=env)
    assert missing.code == 1
    assert missing.err.splitlines() == [
        f"bedrock-catalog: error: cannot read {tmp_path / 'nope.json'}: No such file or directory",
        "hint: pass a catalog file",
    ]

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    unwritable = run(
        "bundle",
        "generate",
        "--from-snapshot",
        str(SNAPSHOT_OLD),
        "--output",
        str(blocker / "out.json"),
        env=env,
    )
    assert unwritable.code == 1
    error, hint = unwritable.err.splitlines()
    assert error.startswith(f"bedrock-catalog: error: cannot write {blocker / 'out.json'}: ")
    assert ".tmp" not in error and hint.startswith("hint: pass --output")

    outside = run("list", "--regions", "us-east-1", "eu-west-1", "--region", "us-west-2", env=env)
    assert outside.code == 1
    assert "us-west-2 is not one of the regions selected with --regions" in outside.err
    assert "hint: add it: --regions us-east-1 eu-west-1 us-west-2, or drop --regions" in (
        outside.err
    )

    profile = run("refresh", "--regions", "us-east-1", "--profile", "nosuch", env=env)
    assert profile.code == 1
    assert profile.err.splitlines() == [
        "bedrock-catalog: error: the AWS profile 'nosuch' was not found",
        "hint: check the name against `aws configure list-profiles` (profiles live in "
        "~/.aws/config and ~/.aws/credentials)",
    ]
    # list and show still answer from the bundle, and name the profile that was not found.
    listed = run("--profile", "nosuch", "list", "--region", "us-east-1", env=env)
    assert listed.code == 0
    assert "the AWS profile 'nosuch' was not found" in listed.err


def test_a_typo_in_a_filter_is_an_error_not_an_empty_table(env: dict[str, str]) -> None:
    result = run("list", "--provider", "antropic", env=env)
    assert result.code == 1
    assert "provider: no model in this catalog has 'antropic'" in result.err
    assert "did you mean 'Anthropic'?" in result.err
    modality = run("list", "--input-modality", "imgae", env=env)
    assert modality.code == 1 and "did you mean 'IMAGE'?" in modality.err


def test_offline_flag_never_calls_aws_even_with_credentials(home: Path) -> None:
    env = cli_env(home, credentials=True)
    result = run("--offline", "list", "--region", "eu-west-1", env=env)
    assert result.code == 0, result.err
    assert "--offline" in result.err and "bundled" in result.err
    refused = run("refresh", "--offline", env=env)
    assert refused.code == 1 and "drop --offline" in refused.err


def test_an_old_bundle_warns_how_old_it_is_and_how_to_refresh(env: dict[str, str]) -> None:
    # The hidden --now moves the clock: the bundle is then well past the 90-day warning.
    result = run("list", "--region", "us-east-1", "--now", "2027-09-01", env=env)
    assert result.code == 0
    (note,) = result.err.splitlines()
    assert "days old" in note and "over 90 days old" in note
    assert "bedrock-catalog refresh" in note and "pip install -U" in note


def test_unwritable_home_still_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    home = blocker / "home"  # cannot be created, even by root
    env = cli_env(tmp_path)
    env["HOME"] = str(home)
    del env["BEDROCK_CATALOG_CACHE_DIR"]
    env["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    result = run("list", "--region", "us-east-1", "--json", env=env, cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.json()["count"] > 20  # type: ignore[index]
    assert "Traceback" not in result.err
    # The cache commands point at the directory actually used: the per-user fallback.
    (fallback,) = (tmp_path / "tmp").glob("bestehorn-llmmanager-*")
    assert run("cache", "dir", env=env, cwd=tmp_path).out == f"{fallback}\n"
    info = run("cache", "info", "--json", env=env, cwd=tmp_path).json()
    assert info["path"] == str(fallback / "bedrock_catalog.json")  # type: ignore[index]


def test_piping_into_head_ends_quietly(env: dict[str, str]) -> None:
    command = f'"{sys.executable}" -m bestehorn_llmmanager list --json | head -n 2'
    proc = subprocess.run(
        ["/bin/sh", "-c", command], check=False, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0] == "{"
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


# -- refresh, status and cache against the local Bedrock server ----------------------------------


def test_refresh_status_and_cache_against_the_local_server(home: Path) -> None:
    server = BedrockServer.from_directory(FIXTURES / "world_small", page_size=2)
    with server:
        server.fail_with("eu-west-1", "ValidationException", "broken listing", times=None)
        env = cli_env(home, credentials=True, endpoint=server.url)
        regions = ["--regions", "us-east-1", "eu-west-1", "eu-central-1"]

        result = run("refresh", *regions, env=env)
        assert result.code == 1  # a region failed
        assert "1 region ok, 1 unavailable, 1 failed" in result.out
        assert "failed       eu-west-1: ValidationException: broken listing" in result.out
        assert "unavailable  eu-central-1" in result.out
        assert "\r" not in result.err  # no progress bar when stderr is not a TTY
        assert "hint:" in result.err

        server.clear_faults()
        data = run("refresh", *regions, "--json", env=env)
        assert data.code == 0, data.err
        summary = data.json()
        assert isinstance(summary, dict)
        assert summary["source"] == "api" and summary["regions_failed"] == {}
        assert summary["regions_ok"] == ["eu-west-1", "us-east-1"]
        assert list(summary["regions_unavailable"]) == ["eu-central-1"]
        cache_file = Path(summary["cache_path"])
        assert cache_file.is_file() and cache_file.parent == home / "cache"

    # The server is gone: everything below answers from the cache.
    status = run("status", *regions, env=env)
    assert status.code == 0, status.err
    assert "source:       cache" in status.out and str(cache_file) in status.out
    status_json = run("status", *regions, "--json", env=env).json()
    assert isinstance(status_json, dict)
    assert status_json["source"] == "cache" and status_json["cache_exists"] is True
    assert status_json["bundle_retrieved_at"].endswith("Z")

    listed = run("--regions", "us-east-1,eu-west-1,eu-central-1", "list", "--json", env=env)
    assert listed.json()["source"] == "cache"  # type: ignore[index]
    assert "using the cached catalog" in listed.err
    # A region that was asked but is unavailable: say so and how to fix it, not "did you mean".
    denied = run(
        "--regions", "us-east-1,eu-west-1,eu-central-1", "list", "--region", "eu-central-1", env=env
    )
    assert denied.code == 1
    assert "eu-central-1 is unavailable in this catalog" in denied.err
    assert "did you mean" not in denied.err and "enable it" in denied.err

    assert run("cache", "dir", env=env).out.strip() == str(home / "cache")
    assert run("cache", "dir", "--json", env=env).json() == {"cache_dir": str(home / "cache")}
    info = run("cache", "info", env=env)
    assert "Exists:    yes" in info.out and "Valid:     yes" in info.out
    info_json = run("cache", "info", "--json", env=env).json()
    assert isinstance(info_json, dict)
    assert info_json["exists"] and info_json["models"] > 0
    assert info_json["regions"] == ["eu-central-1", "eu-west-1", "us-east-1"]

    dry = run("cache", "clear", "--dry-run", env=env)
    assert dry.code == 0 and "Would remove:" in dry.out and str(cache_file) in dry.out
    assert cache_file.exists()
    dry_json = run("cache", "clear", "--dry-run", "--json", env=env).json()
    assert dry_json["dry_run"] is True and str(cache_file) in dry_json["files"]  # type: ignore[index]
    cleared = run("cache", "clear", env=env)
    assert cleared.code == 0 and "Files removed:" in cleared.out
    assert not cache_file.exists()
    assert "Exists:    no" in run("cache", "info", env=env).out


def test_refresh_without_credentials_explains_and_fails(env: dict[str, str]) -> None:
    result = run("refresh", "--regions", "us-east-1", env=env)
    assert result.code == 1
    assert "error: no AWS credentials found" in result.err
    assert "hint:" in result.err and "bundled data" in result.err


def test_cache_info_wraps_the_region_list_to_100_columns(home: Path, env: dict[str, str]) -> None:
    # The bundle and the cache share one file format: a copy of the bundle is a 31-region cache.
    cache_file = home / "cache" / "bedrock_catalog.json"
    cache_file.parent.mkdir()
    shutil.copyfile(
        Path(__file__).parents[1]
        / "src/bestehorn_llmmanager/bedrock/catalog/package_data/bedrock_catalog_bundled.json",
        cache_file,
    )
    result = run("cache", "info", env=env)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    region_lines = [line for line in lines if line.startswith(("Regions:", " " * 11))]
    assert len(region_lines) > 1 and all(len(line) <= 100 for line in region_lines)
    regions = run("cache", "info", "--json", env=env).json()["regions"]  # type: ignore[index]
    assert len(regions) > 20
    assert " ".join(line[11:] for line in region_lines) == f"{len(regions)}: " + ", ".join(regions)


def test_cache_commands_refuse_modes_without_a_file(env: dict[str, str]) -> None:
    result = run("--cache-mode", "none", "cache", "dir", env=env)
    assert result.code == 1 and "keeps nothing on disk" in result.err


# -- bundle --------------------------------------------------------------------------------------


def test_bundle_generate_verify_and_diff(tmp_path: Path, env: dict[str, str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    made = run(
        "bundle", "generate", "--from-snapshot", str(SNAPSHOT_OLD), "--output", str(old), env=env
    )
    assert made.code == 0, made.err
    assert f"Wrote {old}: 7 models" in made.out
    made_json = run(
        "bundle",
        "generate",
        "--from-snapshot",
        str(SNAPSHOT_NEW),
        "--output",
        str(new),
        "--json",
        env=env,
    ).json()
    assert made_json["models"] == 6 and made_json["retrieved_at"] == "2026-11-01T00:00:00Z"  # type: ignore[index]

    fresh = run(
        "bundle", "verify", str(new), "--max-age-days", "1", "--now", "2026-11-01T12:00Z", env=env
    )
    assert fresh.code == 0, fresh.err
    assert "ok    age:" in fresh.out and "FAIL" not in fresh.out
    stale = run(
        "bundle",
        "verify",
        str(new),
        "--max-age-days",
        "1",
        "--now",
        "2026-11-03",
        "--json",
        env=env,
    )
    assert stale.code == 1
    verdict = stale.json()
    assert "hint:" in stale.err
    assert isinstance(verdict, dict) and verdict["ok"] is False
    assert [c["name"] for c in verdict["checks"] if not c["ok"]] == ["age"]
    assert "failed: age" in stale.err

    installed = run("bundle", "verify", "--max-age-days", "100000", env=env)
    assert installed.code == 0, installed.out + installed.err

    corrupt = tmp_path / "corrupt.json"
    corrupt.write_bytes(old.read_bytes().replace(b"Nova Pro", b"Nova Con"))
    broken = run("bundle", "verify", str(corrupt), env=env)
    assert broken.code == 1 and "FAIL  format:" in broken.out

    diff = run("bundle", "diff", str(old), str(new), env=env)
    assert diff.code == 0, diff.err
    text = diff.out
    assert text.startswith("## Bedrock catalog changes")
    assert "### Models removed (1)" in text and "`amazon.nova-pro-v1:0`" in text
    assert "| `amazon.nova-micro-v1:0` | streaming_supported | yes | no |" in text
    assert "### Access changed (1)" in text and "- added: us-west-2" in text
    diff_json = run("bundle", "diff", str(old), str(new), "--json", env=env).json()
    assert isinstance(diff_json, dict)
    assert [m["model_id"] for m in diff_json["models_removed"]] == ["amazon.nova-pro-v1:0"]
    assert {(a["model_id"], a["region"]) for a in diff_json["access_changed"]} == {
        ("amazon.nova-lite-v1:0", "us-east-1")
    }
    assert diff_json["regions_added"] == ["us-west-2"]
    same = run("bundle", "diff", str(old), str(old), env=env)
    assert "No changes" in same.out


def test_bundle_generate_live_gates_against_the_local_server(home: Path, tmp_path: Path) -> None:
    output = tmp_path / "live.json"
    with BedrockServer.from_directory(FIXTURES / "world_small", page_size=2) as server:
        env = cli_env(home, credentials=True, endpoint=server.url)
        live = ["bundle", "generate", "--live", "--output", str(output)]
        made = run(*live, "--regions", "us-east-1", "eu-west-1", env=env)
        assert made.code == 0, made.err
        assert run("bundle", "verify", str(output), env=env).code == 0

        # A much smaller answer than the file it would replace is refused unless forced.
        shutil.copyfile(
            Path(__file__).parents[1]
            / "src/bestehorn_llmmanager/bedrock/catalog/package_data/bedrock_catalog_bundled.json",
            output,
        )
        before = output.read_bytes()
        refused = run(*live, "--regions", "ap-northeast-1", env=env)
        assert refused.code == 1 and "shrink" in refused.err and "--force" in refused.err
        assert output.read_bytes() == before
        server.fail_with("eu-west-1", "ValidationException", "broken", times=None)
        failed = run(*live, "--regions", "us-east-1", "eu-west-1", "--force", env=env)
        assert failed.code == 0, failed.err
        assert "1 failed" in failed.out


def test_version_and_help(env: dict[str, str]) -> None:
    assert run("--version", env=env).out.startswith("bedrock-catalog ")
    helped = run("--help", env=env)
    assert helped.code == 0
    for command in ("list", "show", "refresh", "status", "cache", "bundle"):
        assert command in helped.out


def refresh_on_a_tty(
    home: Path, server: BedrockServer, *regions: str, **extra: str
) -> tuple[int, str]:
    """Run `refresh --regions ...` with stderr on a pseudo-terminal; (exit code, what it showed)."""
    env = cli_env(home, credentials=True, endpoint=server.url, **extra)
    script = "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)"  # waitstatus -> exit code
    argv = [sys.executable, "-m", "bestehorn_llmmanager", "refresh", "--regions", *regions]
    proc = subprocess.run(
        [sys.executable, "-c", script, *argv], env=env, capture_output=True, check=False, timeout=60
    )
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_refresh_draws_a_progress_bar_on_a_tty(home: Path) -> None:
    with BedrockServer.from_directory(FIXTURES / "world_small", page_size=2) as server:
        code, output = refresh_on_a_tty(home, server, "us-east-1", "eu-west-1")
    assert code == 0, output
    assert "\rfetching 2 regions…" in output and "1/2" in output and "2/2" in output
    assert "2 regions ok, 0 unavailable, 0 failed" in output


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_warning_during_the_progress_bar_starts_on_its_own_line(home: Path) -> None:
    # A cache directory that cannot be created: the store warns while the bar is drawn.
    (home / "a-file").write_text("x")
    with BedrockServer.from_directory(FIXTURES / "world_small", page_size=2) as server:
        server.fail_with("eu-west-1", "ValidationException", "bad request", times=None, status=400)
        code, output = refresh_on_a_tty(
            home,
            server,
            "us-east-1",
            "eu-west-1",
            BEDROCK_CATALOG_CACHE_DIR=str(home / "a-file" / "cache"),
        )
    assert code == 1, output
    warnings = [line for line in output.splitlines() if "WARNING" in line]
    assert warnings, output
    assert all(line.lstrip("\r").startswith("bedrock-catalog: WARNING") for line in warnings)
    # The partial refresh is reported once: one line names the failed region and its reason.
    failed = [line for line in output.splitlines() if "bad request" in line]
    assert len(failed) == 1 and "failed       eu-west-1" in failed[0], output


def test_cache_dir_with_no_writable_location_at_all_says_memory_instead_of_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A read-only root filesystem: the cache dir cannot be created (a file stands where a
    # parent directory should be) and tempfile finds no usable temp dir either.
    import tempfile

    from bestehorn_llmmanager import cli

    def no_temp_dir() -> str:
        raise FileNotFoundError(2, "No usable temporary directory found")

    monkeypatch.setattr(tempfile, "gettempdir", no_temp_dir)
    (tmp_path / "afile").write_text("x")
    wanted = tmp_path / "afile" / "cache"
    package = logging.getLogger("bestehorn_llmmanager")
    before = (package.handlers[:], package.level, package.propagate)
    assert cli.main(["--cache-dir", str(wanted), "-vv", "cache", "dir"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(wanted)
    assert "in memory" in err
    # main() called in-process leaves logging as it found it: no handler left pointing at a
    # stream that capsys is about to close, and library records still reach the root logger.
    assert (package.handlers, package.level, package.propagate) == before


def test_the_cli_imports_only_the_public_face() -> None:
    """Issue 10: the CLI renders what the library's door hands it, nothing private."""
    import ast

    package = Path(__file__).parents[1] / "src" / "bestehorn_llmmanager" / "cli"
    allowed = {"bestehorn_llmmanager", "bestehorn_llmmanager.bedrock.catalog"}
    for module in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                if node.level == 1:
                    continue  # the CLI's own modules
                base = "bestehorn_llmmanager" + (f".{node.module}" if node.module else "")
                assert base in allowed, f"{module.name} imports {base}"
                assert not any(
                    alias.name.startswith("_")
                    for alias in node.names
                    if alias.name != "__version__"
                ), f"{module.name}: {ast.dump(node)}"
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for name in names:
                    assert not name.startswith("bestehorn_llmmanager") or name in allowed, name
        # boto3 never at import time: only --profile's session imports it, on first use.
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                assert not any(n.split(".")[0] in ("boto3", "botocore") for n in names), module
