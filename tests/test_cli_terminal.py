"""The CLI as a newcomer meets it (issue 12): on a pseudo-terminal, in pipes, with Ctrl-C.

Every test drives the real command in a subprocess (or on a pseudo-terminal of a given size)
against the bundled data or the local Bedrock server; nothing reaches AWS.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import test_cli
from tests.bedrock_server import BedrockServer
from tests.conftest import FIXTURES
from tests.test_cli import cli_env, run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX terminals")

home = test_cli.home  # the same fixture: a fresh HOME per test

BUNDLE = Path(__file__).parents[1] / (
    "src/bestehorn_llmmanager/bedrock/catalog/package_data/bedrock_catalog_bundled.json"
)


@dataclass
class Screen:
    code: int
    chunks: list[str]

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def redraws(self) -> list[str]:
        """Each state of the progress line: the text between carriage returns, escapes gone."""
        states = []
        for part in self.text.replace("\x1b[K", "").split("\r"):
            line = part.split("\n")[0]
            if line.strip():
                states.append(line)
        return states


def on_a_terminal(
    args: list[str],
    env: dict[str, str],
    *,
    columns: int = 80,
    until: Callable[[str], bool] | None = None,
    then: Callable[[int], None] | None = None,
    timeout: float = 60.0,
) -> Screen:
    """Run the CLI with stdin, stdout and stderr on one pseudo-terminal of ``columns`` columns.

    When ``until(output so far)`` first holds, ``then(pid)`` runs (e.g. to send SIGINT).
    """
    import fcntl  # POSIX only: imported here so the module still collects (and skips) elsewhere
    import pty
    import termios

    # openpty + Popen rather than pty.fork: this test process runs server threads, and a bare
    # fork of a threaded process may deadlock (Python 3.13 warns about it).
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bestehorn_llmmanager", *args],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        close_fds=True,
    )
    os.close(child)
    chunks: list[str] = []
    fired = False
    try:
        while True:
            ready, _, _ = select.select([parent], [], [], timeout)
            if not ready:
                proc.kill()
                raise AssertionError(f"no output for {timeout} s: {''.join(chunks)!r}")
            try:
                data = os.read(parent, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data.decode("utf-8", "replace"))
            if until is not None and then is not None and not fired and until("".join(chunks)):
                fired = True
                then(proc.pid)
    finally:
        os.close(parent)
    return Screen(proc.wait(timeout=timeout), chunks)


@pytest.fixture
def server() -> BedrockServer:
    with BedrockServer.from_directory(FIXTURES / "world_small", page_size=2) as running:
        yield running  # type: ignore[misc]


# -- 1, 2: show by region, unquoted names, hints ---------------------------------------------


def test_show_region_prints_that_row_and_its_converse_id(home: Path) -> None:
    env = cli_env(home)
    shown = run("show", "Claude Haiku 4.5", "--region", "eu-central-1", env=env)
    assert shown.code == 0, shown.err
    assert "converse id:     eu.anthropic.claude-haiku-4-5-20251001-v1:0 (from eu-central-1)" in (
        shown.out
    )
    rows = [line for line in shown.out.splitlines() if line.startswith(("eu-", "us-", "ap-"))]
    assert [r.split()[0] for r in rows] == ["eu-central-1"]
    data = run("show", "Claude Haiku 4.5", "--region", "eu-central-1", "--json", env=env).json()
    model = data["model"]  # type: ignore[index]
    assert model["converse_id"].startswith("eu.anthropic.claude-haiku-4-5")
    assert list(model["regions"]) == ["eu-central-1"]
    # A model that is not callable from the region says where it is callable.
    nowhere = run("show", "Jamba 1.5 Large", "--region", "eu-west-1", env=env)
    assert nowhere.code == 1
    assert "not callable on demand from eu-west-1" in nowhere.err
    assert "callable from 1 region: us-east-1" in nowhere.err


def test_unquoted_names_are_joined_and_regions_do_not_eat_them(home: Path) -> None:
    env = cli_env(home)
    unquoted = run("show", "Claude", "Haiku", "4.5", env=env)
    assert unquoted.code == 0, unquoted.err
    assert unquoted.out.startswith("Claude Haiku 4.5\n")
    after = run("show", "--regions", "us-east-1", "eu-central-1", "Nova", "Pro", env=env)
    assert after.code == 0, after.err
    assert after.out.startswith("Nova Pro\n")
    shown = [line.split()[0] for line in after.out.splitlines() if line[:3] in ("us-", "eu-")]
    assert shown == ["eu-central-1", "us-east-1"]
    # `list` has no name: a word that is not a region is an error naming it.
    listed = run("list", "--regions", "us-east-1", "Nova Pro", env=env)
    assert listed.code == 2 and "'Nova Pro' is not an AWS region name" in listed.err


def test_a_hint_only_suggests_options_the_subcommand_has(home: Path) -> None:
    env = cli_env(home)
    # `cache dir` has no --dry-run (`cache clear` has): it must not be suggested.
    result = run("cache", "dir", "--dry-ru", env=env)
    assert result.code == 2
    assert "--dry-run" not in result.err and "hint: run `bedrock-catalog cache dir --help`" in (
        result.err
    )
    assert "did you mean --region?" in run("show", "X", "--regoin", "us-east-1", env=env).err


# -- 3: the cache serves the regions it covers; status never fetches -------------------------


def test_a_covering_cache_serves_one_region_and_one_region_fetches_one(
    home: Path, server: BedrockServer
) -> None:
    env = cli_env(home, credentials=True, endpoint=server.url)
    assert run("refresh", "--regions", "us-east-1", "eu-west-1", env=env).code == 0
    fetched = server.count()
    served = run("list", "--region", "eu-west-1", "--json", env=env)
    assert served.code == 0, served.err
    assert served.json()["source"] == "cache"  # type: ignore[index]
    assert server.count() == fetched  # nothing fetched, nothing overwritten

    other = cli_env(home / "elsewhere", credentials=True, endpoint=server.url)
    server.reset()
    one = run("list", "--region", "us-west-2", "--json", env=other)
    assert one.code == 0, one.err
    assert one.json()["source"] == "api"  # type: ignore[index]
    assert server.count() > 0 and server.count() == server.count(region="us-west-2")


def test_status_never_fetches_unless_asked(home: Path, server: BedrockServer) -> None:
    env = cli_env(home, credentials=True, endpoint=server.url)
    status = run("status", "--regions", "us-east-1", env=env)
    assert status.code == 0, status.err
    assert server.count() == 0
    assert not (home / "cache" / "bedrock_catalog.json").exists()
    assert "source:       bundled: no usable cache" in status.out
    refreshed = run("status", "--refresh", "--regions", "us-east-1", "--json", env=env)
    assert refreshed.code == 0, refreshed.err
    assert server.count() > 0
    assert refreshed.json()["source"] == "api"  # type: ignore[index]
    assert run("status", "--regions", "us-east-1", "--json", env=env).json()["source"] == "cache"  # type: ignore[index]


# -- 4: progress -------------------------------------------------------------------------------


def test_progress_shows_the_region_count_at_once_and_names_the_pending_region(
    home: Path, server: BedrockServer
) -> None:
    env = cli_env(home, credentials=True, endpoint=server.url)
    release = server.hang("eu-west-1")  # one region hangs until the others are done

    def others_done(text: str) -> bool:
        return "waiting for eu-west-1" in text

    screen = on_a_terminal(
        ["refresh", "--regions", "us-east-1", "us-west-2", "eu-west-1"],
        env,
        columns=60,
        until=others_done,
        then=lambda pid: release.set(),
    )
    assert screen.code == 0, screen.text
    states = screen.redraws()
    assert states[0].startswith("fetching 3 regions…"), states[:3]
    assert any("waiting for eu-west-1" in s for s in states)
    # It advances by request, before any region has finished.
    before_first_region = [s for s in states if " 0/3" in s]
    assert any("request" in s for s in before_first_region), states
    # One line, redrawn in place, never wider than the terminal.
    bar_lines = [s for s in states if s.startswith("fetching")]
    assert bar_lines and all(len(s) < 60 for s in bar_lines)
    assert "3 regions ok, 0 unavailable, 0 failed" in screen.text


def test_list_that_fetches_draws_a_progress_line_and_a_cached_one_does_not(
    home: Path, server: BedrockServer
) -> None:
    env = cli_env(home, credentials=True, endpoint=server.url)
    fetched = on_a_terminal(["list", "--region", "us-east-1"], env)
    assert fetched.code == 0, fetched.text
    assert any(s.startswith("fetching 1 region") for s in fetched.redraws()), fetched.text
    cached = on_a_terminal(["list", "--region", "us-east-1"], env)
    assert cached.code == 0
    assert "fetching" not in cached.text and "using the cached catalog" in cached.text


# -- 5, 6: Ctrl-C and a closed pipe ------------------------------------------------------------


def test_ctrl_c_during_refresh_exits_at_once_with_130(home: Path, server: BedrockServer) -> None:
    env = cli_env(home, credentials=True, endpoint=server.url)
    release = server.hang("us-east-1")  # never released: only Ctrl-C ends this refresh
    try:
        screen = on_a_terminal(
            ["refresh", "--regions", "us-east-1"],
            env,
            until=lambda text: "request" in text or "fetching 1 region" in text,
            then=lambda pid: os.kill(pid, signal.SIGINT),
            timeout=30,
        )
    finally:
        release.set()
    assert screen.code == 130, screen.text
    assert "interrupted" in screen.text and "Traceback" not in screen.text


def test_a_closed_pipe_ends_quietly(home: Path) -> None:
    env = cli_env(home)
    command = (
        f'"{sys.executable}" -m bestehorn_llmmanager show "Claude Haiku 4.5" 2>err | head -1;'
        ' echo "status=${PIPESTATUS[0]}"'
    )
    for _ in range(5):
        proc = subprocess.run(
            ["bash", "-c", command],
            check=False,
            env=env,
            cwd=home,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.stdout.splitlines() == ["Claude Haiku 4.5", "status=0"], proc.stdout
        err = (home / "err").read_text()
        assert "error" not in err and "Broken pipe" not in err and "Traceback" not in err


# -- 7: --json errors --------------------------------------------------------------------------


def test_json_errors_are_a_json_object_on_stdout(home: Path) -> None:
    env = cli_env(home)
    unknown = run("show", "Claude Haiku 4.4", "--json", env=env)
    assert unknown.code == 1
    error = unknown.json()
    assert isinstance(error, dict) and error["exit_code"] == 1
    assert "Claude Haiku 4.4" in error["error"] and error["hint"]
    usage = run("--json", "lst", env=env)
    assert usage.code == 2
    assert usage.json() == {
        "error": usage.json()["error"],  # type: ignore[index]
        "hint": "did you mean 'list'?",
        "exit_code": 2,
    }
    refresh = run("refresh", "--regions", "us-east-1", "--json", env=env)
    assert refresh.code == 1
    assert refresh.json()["error"].startswith("no AWS credentials found")  # type: ignore[index]


# -- 8: tables ---------------------------------------------------------------------------------


def test_provisioned_only_variants_are_hidden_unless_all_and_legacy_is_marked(home: Path) -> None:
    env = cli_env(home)
    listed = run("list", "--provider", "Amazon", env=env)
    assert listed.code == 0
    assert "amazon.nova-pro-v1:0:300k" not in listed.out
    assert "provisioned-only variants hidden" in listed.err and "--all" in listed.err
    everything = run("list", "--provider", "Amazon", "--all", env=env)
    (row,) = [line for line in everything.out.splitlines() if "nova-pro-v1:0:300k" in line]
    assert "[provisioned only]" in row
    legacy = run("list", "--provider", "AI21 Labs", env=env)
    assert all("[LEGACY]" in line for line in legacy.out.splitlines()[1:])
    assert "D = direct model ID" in run("list", "--help", env=env).out


def test_on_a_terminal_the_table_fits_and_the_legend_is_under_it(home: Path) -> None:
    env = cli_env(home)
    screen = on_a_terminal(["list", "--region", "us-east-1"], env, columns=90)
    assert screen.code == 0
    lines = [line for line in screen.text.split("\r\n") if line]
    table = [line for line in lines if "bedrock-catalog:" not in line and "\r" not in line]
    assert all(len(line) <= 90 for line in table)
    assert any("…" in line for line in table)  # names cut to fit the terminal
    assert table[-2].startswith("ACCESS: D = direct model ID")


def test_server_text_cannot_drive_the_terminal(home: Path, tmp_path: Path) -> None:
    world = tmp_path / "world"
    shutil.copytree(FIXTURES / "world_small", world)
    models = world / "us-east-1" / "list-foundation-models.json"
    body = json.loads(models.read_text())
    body["modelSummaries"][0]["modelName"] = "Evil\x1b]0;owned\x07 Model\x1b[2J\u202e"
    models.write_text(json.dumps(body))
    with BedrockServer.from_directory(world, page_size=2) as server:
        env = cli_env(home, credentials=True, endpoint=server.url)
        assert run("refresh", "--regions", "us-east-1", env=env).code == 0
    listed = run("list", "--region", "us-east-1", env=env)
    assert listed.code == 0
    assert "\x1b" not in listed.out and "\x07" not in listed.out and "\u202e" not in listed.out
    assert "Evil Model" in listed.out
    shown = run("show", "amazon.nova-2-lite-v1:0", "--regions", "us-east-1", env=env)
    assert shown.code == 0, shown.err
    assert shown.out.startswith("Evil Model\n") and "\x1b" not in shown.out


# -- 9, 10: one line per problem, -q, -v, -vv, a partial refresh -----------------------------


def loose_cache(home: Path) -> Path:
    """A valid cache file that group and others can write (the store refuses it)."""
    cache = home / "cache" / "bedrock_catalog.json"
    cache.parent.mkdir()
    shutil.copyfile(BUNDLE, cache)
    cache.chmod(0o666)
    return cache


def test_a_loose_cache_file_warns_once_with_the_fix_and_quiet_silences_it(home: Path) -> None:
    env = cli_env(home)
    cache = loose_cache(home)
    result = run("list", "--region", "us-east-1", env=env)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and f"chmod 600 {cache}" in warnings[0]
    quiet = run("-q", "list", "--region", "us-east-1", env=env)
    assert quiet.code == 0 and quiet.err == "" and quiet.out == result.out


def test_an_unusable_home_warns_once_and_names_the_way_out(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "user")
    (tmp_path / "a-file").write_text("x")
    env["HOME"] = str(tmp_path / "a-file" / "home")  # cannot exist, even for root
    del env["BEDROCK_CATALOG_CACHE_DIR"]
    result = run("list", "--region", "us-east-1", env=env)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "WARNING" in line]
    assert len(warnings) == 1, result.err
    assert "BEDROCK_CATALOG_CACHE_DIR" in warnings[0] and "memory" in warnings[0]


def test_verbose_shows_more_and_very_verbose_repeats_nothing(home: Path) -> None:
    env = cli_env(home)
    loose_cache(home)
    default = run("list", "--region", "us-east-1", env=env).err.splitlines()
    verbose = run("-v", "list", "--region", "us-east-1", env=env).err.splitlines()
    assert len(verbose) > len(default)
    assert any("why the live API was not used" in line for line in verbose)
    debug = run("-vv", "list", "--region", "us-east-1", env=env).err.splitlines()
    assert any(": DEBUG: " in line for line in debug)
    messages = [line.split(": ", 2)[-1] for line in debug]
    assert len(messages) == len(set(messages)), debug
    assert sum("refusing the catalog cache" in line for line in debug) == 1


def test_a_partial_refresh_reports_its_failure_once(home: Path, server: BedrockServer) -> None:
    env = cli_env(home, credentials=True, endpoint=server.url)
    regions = ["--regions", "us-east-1", "eu-west-1"]
    server.fail_with("eu-west-1", "ValidationException", "broken listing", times=None)
    first = run("refresh", *regions, env=env)
    assert first.code == 1
    both = first.out + first.err
    assert both.count("broken listing") == 1
    assert "WARNING" not in first.err
    assert "eu-west-1: ValidationException: broken listing (no previous data)" in first.out
    server.clear_faults()
    assert run("refresh", *regions, env=env).code == 0
    server.fail_with("eu-west-1", "ValidationException", "broken listing", times=None)
    again = run("refresh", *regions, env=env)
    assert again.code == 1
    assert "(previous data kept)" in again.out


def test_an_unreachable_endpoint_is_one_error_line_with_the_fix(home: Path) -> None:
    env = cli_env(home, credentials=True)  # the endpoint is a closed local port
    result = run("refresh", "--regions", "us-east-1", "eu-west-1", env=env)
    assert result.code == 1
    error, hint = result.err.splitlines()
    assert error.startswith("bedrock-catalog: error: 2 regions unreachable: ")
    assert "HTTPS_PROXY" in hint and "AWS_ENDPOINT_URL_BEDROCK" in hint


def test_cache_clear_removes_what_it_can_and_says_once_what_it_could_not(home: Path) -> None:
    env = cli_env(home)
    cache = loose_cache(home)
    cache.chmod(0o600)
    (cache.parent / "bedrock_catalog.json.lock").mkdir()  # never made by the package
    result = run("cache", "clear", env=env)
    assert result.code == 1
    assert not cache.exists()
    assert "Files removed: 1" in result.out and "Not removed: 1" in result.out
    assert "bedrock_catalog.json.lock: it is a directory" in result.out
    assert result.err == ""  # the same fact is not repeated as a warning
    data = run("cache", "clear", "--json", env=env).json()
    assert data["files"] == [] and len(data["kept"]) == 1  # type: ignore[index]


# -- 11: region messages, counts, sizes --------------------------------------------------------


def test_a_region_the_bundle_does_not_cover_is_not_called_a_typo(home: Path) -> None:
    env = cli_env(home)
    missing = run("list", "--region", "me-central-1", env=env)
    assert missing.code == 1
    assert "does not cover me-central-1" in missing.err
    assert "refresh --regions me-central-1" in missing.err and "did you mean" not in missing.err
    typo = run("list", "--region", "us-esat-1", env=env)
    assert typo.code == 1 and "did you mean" in typo.err and "us-east-1" in typo.err


def test_bundle_diff_does_not_call_an_unavailable_region_added(
    home: Path, tmp_path: Path, server: BedrockServer
) -> None:
    env = cli_env(home, credentials=True, endpoint=server.url)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    live = ["bundle", "generate", "--live", "--force"]
    assert run(*live, "--regions", "us-east-1", "--output", str(old), env=env).code == 0
    server.deny_access("eu-central-1")
    made = run(*live, "--regions", "us-east-1", "eu-central-1", "--output", str(new), env=env)
    assert made.code == 0, made.err
    diff = run("bundle", "diff", str(old), str(new), "--json", env=env).json()
    assert diff["regions_added"] == []  # type: ignore[index]
    (change,) = diff["regions_status_changed"]  # type: ignore[index]
    assert change["region"] == "eu-central-1" and (change["old"], change["new"]) == (
        None,
        "unavailable",
    )
    markdown = run("bundle", "diff", str(old), str(new), env=env).out
    assert "- eu-central-1: not asked -> unavailable" in markdown and "- added" not in markdown


def test_cache_info_counts_regions_as_status_does_and_sizes_are_kib(
    home: Path, server: BedrockServer
) -> None:
    env = cli_env(home, credentials=True, endpoint=server.url)
    server.deny_access("eu-central-1")
    assert run("refresh", "--regions", "us-east-1", "eu-central-1", env=env).code == 0
    info = run("cache", "info", env=env)
    assert "Regions:   1 ok (1 unavailable, not listed): us-east-1" in info.out
    assert " KiB" in info.out and " kB" not in info.out
    data = run("cache", "info", "--json", env=env).json()
    assert data["regions_by_status"] == {  # type: ignore[index]
        "ok": ["us-east-1"],
        "unavailable": ["eu-central-1"],
    }


# -- 12: bundle generate and verify, installed or not -----------------------------------------


@pytest.fixture
def installed(tmp_path: Path) -> dict[str, str]:
    """The package copied into a site directory, as pip installs it (no source checkout)."""
    site = tmp_path / "site"
    shutil.copytree(
        Path(__file__).parents[1] / "src" / "bestehorn_llmmanager",
        site / "bestehorn_llmmanager",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    home = tmp_path / "home"
    home.mkdir()
    env = cli_env(home)
    env["PYTHONPATH"] = str(site)
    return env


def test_bundle_generate_outside_a_checkout_needs_output(
    installed: dict[str, str], tmp_path: Path
) -> None:
    site_bundle = Path(installed["PYTHONPATH"]) / BUNDLE.relative_to(
        Path(__file__).parents[1] / "src"
    )
    before = site_bundle.read_bytes()
    snapshot = ["bundle", "generate", "--from-snapshot", str(FIXTURES / "cli_snapshot")]
    refused = run(*snapshot, env=installed, cwd=tmp_path)
    assert refused.code == 1
    assert "needs --output" in refused.err and "installed package" in refused.err
    assert site_bundle.read_bytes() == before
    # And the shrink gate stops a snapshot from replacing a big catalog with a small one.
    shutil.copyfile(BUNDLE, tmp_path / "big.json")
    small = run(*snapshot, "--output", str(tmp_path / "big.json"), env=installed, cwd=tmp_path)
    assert small.code == 1 and "shrink" in small.err and "--force" in small.err


def test_bundle_verify_on_the_installed_bundle_says_upgrade(
    installed: dict[str, str], tmp_path: Path
) -> None:
    old = run("bundle", "verify", "--now", "2030-01-01", env=installed, cwd=tmp_path)
    assert old.code == 1
    assert "pip install -U bestehorn-llmmanager" in old.err
    assert "bundle generate" not in old.err


def test_bundle_verify_refuses_a_fifo_instead_of_hanging(home: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "catalog.json"
    os.mkfifo(fifo)
    result = run("bundle", "verify", str(fifo), env=cli_env(home))
    assert result.code == 1 and "not a regular file" in result.err


# -- 13: no arguments, empty values, a switch value not understood ---------------------------


def test_no_arguments_prints_the_help(home: Path) -> None:
    result = run(env=cli_env(home))
    assert result.code == 0
    assert result.out.startswith("usage: bedrock-catalog") and "COMMAND" in result.out
    assert "required" not in result.err


def test_empty_values_are_usage_errors(home: Path) -> None:
    env = cli_env(home)
    for args in (["list", "--provider", ""], ["show", ""], ["show"], ["show", "  "]):
        result = run(*args, env=env)
        assert result.code == 2, args
        assert result.err.startswith("bedrock-catalog: error:") and "hint:" in result.err


def test_an_offline_value_that_is_not_understood_warns(home: Path) -> None:
    env = cli_env(home, BEDROCK_CATALOG_OFFLINE="maybe")
    result = run("list", "--region", "us-east-1", env=env)
    assert result.code == 0
    assert "BEDROCK_CATALOG_OFFLINE" in result.err and "maybe" in result.err


# -- 16: the README and the docs say what the command does -----------------------------------


def test_the_readme_quotes_the_line_a_user_without_credentials_sees(home: Path) -> None:
    result = run("list", "--region", "us-east-1", env=cli_env(home))
    (note,) = result.err.splitlines()
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    head, _, tail = note.partition(" (data from ")
    assert head in readme
    assert tail.split("): ", 1)[1] in readme  # the reason and its fix, word for word


def test_docs_cli_covers_every_command_and_option() -> None:
    from bestehorn_llmmanager.cli import build_parser

    docs = (Path(__file__).parents[1] / "docs" / "cli.md").read_text()
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in commands.items():
        assert f"`{name}" in docs or f"{name} " in docs, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option not in ("--help", "--now"):
                    assert option in docs, (name, option)
