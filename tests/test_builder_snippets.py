"""0.9's message-builder snippets (README, forLLMConsumption.md, caching.md) run unchanged.

The snippets are in ``tests/fixtures/reference_09/snippets/`` (copied verbatim, model names
swapped). Each runs in a fresh namespace, in a directory holding real files under the names the
snippet uses, with the free names a reader is expected to supply (``manager``, ``image_data``,
``run_my_tool``...) defined. ``manager`` is a real ``LLMManager`` talking through boto3 to the
local server, which serves the 0.9 examples' world; every message a snippet builds is also sent
through the real boto3 client, so botocore validates its shape.

Some 0.9 snippets are not valid Python (a ``\\`` continuation inside a comment, or none at all
before ``.add_text(...)``): no library can run them as printed. For those the test applies the one
mechanical repair a reader would (continue the statement onto the ``.method()`` lines) and says
so in ``REPAIRED``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests import media_files as media
from tests.bedrock_runtime import Runtime, install
from tests.bedrock_server import BedrockServer

REFERENCE = Path(__file__).parent / "fixtures" / "reference_09"
SNIPPETS = REFERENCE / "snippets"
MODEL = "anthropic.claude-haiku-4-5-20251001-v1:0"
PROFILE = "us." + MODEL


def snippets() -> list[tuple[str, str]]:
    """(``file:lines``, code) of every fenced python block of the snippet files."""
    found: list[tuple[str, str]] = []
    for path in sorted(SNIPPETS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"## lines (\d+-\d+)\n\n```python\n(.*?)\n```", text, re.S):
            found.append((f"{path.relative_to(SNIPPETS)}:{match[1]}", match[2]))
    return found


#: Snippets printed with broken continuation lines in 0.9's docs.
REPAIRED = {
    "README.md:259-271",
    "README.md:276-295",
    "README.md:365-402",
    "README.md:526-562",
    "docs/caching.md:161-172",
    "docs/caching.md:178-189",
    "docs/caching.md:195-202",
}


#: Snippets that elide part of a value with ``...``: the value a reader fills in.
FILLED_IN = {
    "docs/forLLMConsumption.md:450-472": ('{"json": {...}}', '{"json": {"type": "object"}}'),
}


#: What a snippet prints (or defines) when it went the way its text says.
EXPECTED_OUTPUT = {
    "README.md:24-30": "Here is my answer.",
    "README.md:206-229": "Used model: ",
    "docs/forLLMConsumption.md:266-301": "Here is my answer.",
    "docs/forLLMConsumption.md:360-371": "annual-report None [{'text': 'grew'}] None",
    "docs/forLLMConsumption.md:696-711": "Image file not found: ",
}
EXPECTED_NAMES = {
    "docs/forLLMConsumption.md:320-337": "nxt",  # the reasoning branch ran
    "docs/forLLMConsumption.md:266-301": "final",  # the tool-use branch ran
}


def repair(code: str) -> str:
    """Continue each statement onto the ``.method()`` lines that follow it (drop comments there)."""
    out: list[str] = []
    for line in code.split("\n"):
        if line.strip().startswith(".") and out:
            previous = re.sub(r"\s*#.*$", "", out[-1]).rstrip().rstrip("\\").rstrip()
            out[-1] = previous + " \\"
        out.append(line)
    # The last line of a chain may still end in a comment holding a stray backslash.
    return "\n".join(re.sub(r"(#[^\n]*)\\$", r"\1", line) for line in out)


def files(directory: Path) -> None:
    """Every file the snippets open, with real content of its format."""
    content = {
        ".png": media.png(),
        ".jpg": media.jpeg(),
        ".gif": media.gif(),
        ".pdf": media.pdf(),
        ".xlsx": media.xlsx(),
        ".docx": media.docx(),
        ".csv": media.CSV,
        ".mp4": media.iso_media(b"isom"),
        ".mov": media.iso_media(b"qt  ", b"qt  "),
    }
    for name in [
        "document.pdf",
        "charts/sales_chart.png",
        "data/sales_data.xlsx",
        "photo.jpg",
        "diagram.png",
        "report.pdf",
        "data.csv",
        "building1.jpg",
        "building2.jpg",
        "very_large_file.pdf",
        "path/to/image.png",
        "path/to/document.docx",
        "demo.mp4",
        "path/to/video.mov",
        "annual_report.pdf",
        "chart.png",
        "data.xlsx",
        "data.pdf",
        "image1.jpg",
        "image2.png",
        "image3.gif",
    ]:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content[path.suffix])


def answer(body: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The model's side: a tool call, reasoning or citations when the request asks for them."""
    last = body["messages"][-1]["content"]
    if "toolConfig" in body and not any("toolResult" in block for block in last):
        tool = {"toolUseId": "tooluse_1", "name": "get_weather", "input": {"city": "Paris"}}
        return [{"toolUse": tool}], "tool_use"
    if "thinking" in body.get("additionalModelRequestFields", {}):
        reasoning = {"reasoningText": {"text": "Think first.", "signature": "sig=="}}
        return [{"reasoningContent": reasoning}, {"text": "Done."}], "end_turn"
    cited = [
        b for m in body["messages"] for b in m["content"] if "citations" in b.get("document", {})
    ]
    if cited:
        citation = {"title": cited[0]["document"]["name"], "sourceContent": [{"text": "grew"}]}
        content = [{"text": "Revenue grew."}]
        return [{"citationsContent": {"content": content, "citations": [citation]}}], "end_turn"
    return [{"text": "Here is my answer."}], "end_turn"


@pytest.fixture
def world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aws_env: None
) -> Iterator[tuple[BedrockServer, Runtime]]:
    with BedrockServer.from_directory(REFERENCE / "world") as server:
        runtime = install(server)
        runtime.answer = answer
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.url)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / ".cache"))
        monkeypatch.setenv("BEDROCK_CATALOG_CACHE_DIR", str(tmp_path / "catalog-cache"))
        work = tmp_path / "work"
        work.mkdir()
        files(work)
        monkeypatch.chdir(work)
        yield server, runtime


def namespace(code: str) -> dict[str, Any]:
    """The names a reader of each snippet is expected to have defined already."""
    names: dict[str, Any] = {
        "image_data": media.webp(),
        "doc_data": media.docx(),
        "csv_data": media.CSV,
        "image1_bytes": media.jpeg(),
        "image2_bytes": media.png(),
        "shared_image": media.gif(),
        "run_my_tool": lambda name, arguments: {"forecast": "sunny", "tool": name, **arguments},
        "msg": {"role": "user", "content": [{"text": "Think about 17."}]},
    }
    try:
        from bestehorn_llmmanager.bedrock.models.cache_structures import (
            CacheConfig,
            CacheStrategy,
        )
    except ImportError:  # pragma: no cover - the LLMManager engineer's module
        pass
    else:
        names.update(CacheConfig=CacheConfig, CacheStrategy=CacheStrategy)
    if re.search(r"\bmanager\b", code):
        from bestehorn_llmmanager import LLMManager

        names["manager"] = LLMManager(models=["Claude Haiku 4.5"], regions=["us-east-1"])
    # Later sections of 0.9's docs use the names the first sections imported.
    exec("from bestehorn_llmmanager import *", names)
    names["builder"] = names["create_user_message"]()
    return names


def _needs_the_0_9_manager(code: str) -> bool:
    return bool(re.search(r"\b(manager|LLMManager|CacheConfig|parallel_manager)\b", code))


def _manager_surface_ready(code: str) -> bool:
    try:
        from bestehorn_llmmanager._llm import BedrockResponse  # noqa: F401

        if "CacheConfig" in code:
            from bestehorn_llmmanager.bedrock.models import cache_structures  # noqa: F401
    except ImportError:
        return False
    return True


SNIPPET_IDS = [name for name, _ in snippets()]


def test_every_builder_snippet_of_the_0_9_docs_is_here() -> None:
    assert len(SNIPPET_IDS) == 31
    assert set(SNIPPET_IDS) >= REPAIRED
    for name, code in snippets():
        source = code if name not in REPAIRED else repair(code)
        compile(source, name, "exec")  # the repaired ones compile; the others as printed
        if name in REPAIRED:
            with pytest.raises(SyntaxError):
                compile(code, name, "exec")


@pytest.mark.parametrize("name", SNIPPET_IDS)
def test_snippet_runs_against_the_local_server(
    name: str, world: tuple[BedrockServer, Runtime], capsys: pytest.CaptureFixture[str]
) -> None:
    code = dict(snippets())[name]
    if _needs_the_0_9_manager(code) and not _manager_surface_ready(code):
        pytest.skip("needs 0.9's LLMManager, BedrockResponse or CacheConfig (issue 14)")
    if name in REPAIRED:
        code = repair(code)
    if name in FILLED_IN:
        elided, filled = FILLED_IN[name]
        assert elided in code
        code = code.replace(elided, filled)
    names = namespace(code)
    exec(compile(code, name, "exec"), names)

    printed = capsys.readouterr().out
    assert "Traceback" not in printed and "Validation error" not in printed, printed
    assert EXPECTED_OUTPUT.get(name, "") in printed
    assert EXPECTED_NAMES.get(name, "builder") in names
    built = [v for v in names.values() if _is_message(v)]
    built += [m for v in names.values() if isinstance(v, list) for m in v if _is_message(m)]
    if not built:
        return
    # Whatever the snippet built is accepted by botocore and reaches the server intact.
    _, runtime = world
    before = len(runtime.calls())
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    for message in built:
        first = (
            message if message["role"] == "user" else {"role": "user", "content": [{"text": "hi"}]}
        )
        conversation = [first] if first is message else [first, message]
        client.converse(modelId=PROFILE, messages=conversation)
    assert len(runtime.calls()) == before + len(built)


def _is_message(value: object) -> bool:
    return (
        isinstance(value, dict)
        and value.get("role") in ("user", "assistant")
        and isinstance(value.get("content"), list)
        and bool(value["content"])
    )


def test_the_caching_example_sends_the_messages_its_builder_describes(
    world: tuple[BedrockServer, Runtime],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # tests/test_reference_examples.py runs every entry point in a subprocess; this checks the
    # wire: what the example's builder calls put into each Converse request.
    monkeypatch.syspath_prepend(str(REFERENCE))
    import caching_example  # type: ignore[import-not-found]

    _, runtime = world
    caching_example.main()
    caching_example.example_with_error_handling()
    assert "Response: Here is my answer." in capsys.readouterr().out
    calls = runtime.calls(operation="Converse")
    assert len(calls) == 6
    for call in calls[:5]:
        [message] = call.body["messages"]
        content = message["content"]
        kinds = [next(iter(block)) for block in content]
        assert kinds[:5] == ["text", "image", "image", "cachePoint", "text"]
        assert content[0]["text"].startswith("You are an expert architectural analyst.")
        # b"<simulated image 1 data>" has no signature: its name gothic1.jpg decides.
        assert [b["image"]["format"] for b in content[1:3]] == ["jpeg", "jpeg"]
        assert content[1]["image"]["source"]["bytes"] == as_base64(b"<simulated image 1 data>")
        assert content[3] == {"cachePoint": {"type": "default"}}
    [last] = calls[5].body["messages"]
    assert [next(iter(b)) for b in last["content"]][:3] == ["text", "cachePoint", "text"]


def as_base64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()
