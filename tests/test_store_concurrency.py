"""Many processes starting cold at once refresh through the FILE store exactly once."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import queue
import traceback
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from bestehorn_llmmanager.bedrock.catalog._catalog import Catalog
from bestehorn_llmmanager.bedrock.catalog._constants import CACHE_FILENAME
from bestehorn_llmmanager.bedrock.catalog._fileformat import encode
from bestehorn_llmmanager.bedrock.catalog._store import open_store
from tests.bedrock_server import BedrockServer

PROCESSES = 8
ROUNDS = 20
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")
PAGES = {"us-east-1": 5, "us-west-2": 2, "eu-west-1": 1, "ap-northeast-1": 1}
ONE_REFRESH = sum(1 + PAGES[r] for r in REGIONS)  # one ListFoundationModels + every profile page
MAX_AGE = timedelta(hours=24)
LOCK_WAIT = 60.0  # generous: a timed-out waiter would fetch too, and the count would show it
_FIXED = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _digest(catalog: Catalog) -> str:
    return hashlib.sha256(encode(catalog, generated_at=_FIXED)).hexdigest()


def _refresh_through_the_store(directory: str, endpoint: str) -> dict[str, Any]:
    """What every process does on a cold start: the load / lock / re-load / fetch pattern."""
    from bestehorn_llmmanager.bedrock.catalog._fetch import fetch_regions
    from bestehorn_llmmanager.bedrock.catalog._transform import build_catalog

    store = open_store("file", directory)
    catalog = store.load(REGIONS, max_age=MAX_AGE)
    first_load_hit = catalog is not None
    fetched = saved = locked = False
    if catalog is None:
        with store.lock(LOCK_WAIT) as locked:
            catalog = store.load(REGIONS, max_age=MAX_AGE)
            if catalog is None:
                result = fetch_regions(REGIONS, endpoint_url=endpoint, timeout=30)
                catalog = build_catalog(result)
                fetched = True
                if locked:
                    saved = store.save(catalog)
    return {
        "pid": os.getpid(),
        "first_load_hit": first_load_hit,
        "locked": locked,
        "fetched": fetched,
        "saved": saved,
        "digest": _digest(catalog),
    }


def _worker(endpoint: str, jobs: Any, results: Any, start: Barrier) -> None:
    """One long-lived process: for each job (a fresh cache dir), start with the others, refresh."""
    import boto3  # noqa: F401  # paid once here, so rounds time the refresh, not imports

    while True:
        directory = jobs.get()
        if directory is None:
            return
        try:
            start.wait(timeout=60)
            results.put(_refresh_through_the_store(directory, endpoint))
        except BaseException:
            results.put({"error": traceback.format_exc()})


@pytest.fixture
def workers(bedrock_endpoint: str) -> Iterator[tuple[Any, Any]]:
    """PROCESSES spawned processes that each run one refresh per job, all starting together."""
    context = multiprocessing.get_context("spawn")
    jobs, results = context.Queue(), context.Queue()
    start = context.Barrier(PROCESSES)
    processes = [
        context.Process(target=_worker, args=(bedrock_endpoint, jobs, results, start))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    try:
        yield jobs, results
    finally:
        for _ in processes:
            jobs.put(None)
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():  # pragma: no cover - only when a round went wrong
                process.kill()
                process.join()


def test_cold_start_of_eight_processes_refreshes_once_twenty_times(
    workers: tuple[Any, Any], bedrock_server: BedrockServer, tmp_path: Path
) -> None:
    jobs, results = workers
    for round_ in range(ROUNDS):
        directory = tmp_path / f"round-{round_}" / "cache"  # cold: not even the directory exists
        bedrock_server.reset()
        for _ in range(PROCESSES):
            jobs.put(str(directory))
        answers = []
        for _ in range(PROCESSES):
            try:
                answers.append(results.get(timeout=120))
            except queue.Empty:  # pragma: no cover
                pytest.fail(f"round {round_}: a process did not answer")
        errors = [a["error"] for a in answers if "error" in a]
        assert not errors, errors[0]

        assert len({a["pid"] for a in answers}) == PROCESSES
        assert sum(a["fetched"] for a in answers) == 1, (round_, answers)
        assert bedrock_server.count() == ONE_REFRESH, (round_, bedrock_server.counts)
        assert next(a for a in answers if a["fetched"])["saved"]
        assert all(a["locked"] or a["first_load_hit"] for a in answers), answers
        assert len({a["digest"] for a in answers}) == 1

        # Never a torn file: a fresh reader loads the very same catalog, and no temp file is left.
        loaded = open_store("file", directory).load(REGIONS, max_age=MAX_AGE)
        assert loaded is not None, f"round {round_}: the cache file does not load"
        assert _digest(loaded) == answers[0]["digest"]
        assert sorted(os.listdir(directory)) == [CACHE_FILENAME, CACHE_FILENAME + ".lock"]
