"""The local Bedrock server itself, through a real boto3 client: it must answer like AWS does."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.bedrock_server import BedrockServer, Request, Response, error_response

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1}, read_timeout=5)


def client(server: BedrockServer, region: str = "us-east-1") -> Any:
    return boto3.Session().client(
        "bedrock", region_name=region, endpoint_url=server.url, config=NO_RETRY
    )


def error_of(call: Any, **kwargs: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"byProvider": "anthropic"}, 2),
        ({"byInferenceType": "ON_DEMAND"}, 3),
        ({"byOutputModality": "TEXT"}, 6),
        ({"byCustomizationType": "FINE_TUNING"}, 0),
    ],
)
def test_list_foundation_models_applies_its_filters(
    bedrock_server: BedrockServer, filters: dict[str, str], expected: int
) -> None:
    summaries = client(bedrock_server).list_foundation_models(**filters)["modelSummaries"]
    assert len(summaries) == expected


def test_the_region_comes_from_the_sigv4_credential_scope(bedrock_server: BedrockServer) -> None:
    east = client(bedrock_server, "us-east-1").list_foundation_models()["modelSummaries"]
    west = client(bedrock_server, "eu-west-1").list_foundation_models()["modelSummaries"]
    assert (len(east), len(west)) == (6, 3)
    assert bedrock_server.counts == {
        ("us-east-1", "ListFoundationModels"): 1,
        ("eu-west-1", "ListFoundationModels"): 1,
    }


def test_inference_profiles_page_with_max_results_and_next_token(
    bedrock_server: BedrockServer,
) -> None:
    bedrock = client(bedrock_server)
    first = bedrock.list_inference_profiles(typeEquals="SYSTEM_DEFINED", maxResults=1)
    assert len(first["inferenceProfileSummaries"]) == 1
    second = bedrock.list_inference_profiles(
        typeEquals="SYSTEM_DEFINED", nextToken=first["nextToken"]
    )
    assert len(second["inferenceProfileSummaries"]) == 2  # the server's page size
    assert (
        bedrock.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"] == []
    )
    code, status, _ = error_of(bedrock.list_inference_profiles, nextToken="not-a-token")
    assert (code, status) == ("ValidationException", 400)


def test_a_region_outside_the_world_answers_like_a_disabled_opt_in_region(
    bedrock_server: BedrockServer,
) -> None:
    code, status, message = error_of(client(bedrock_server, "me-south-1").list_foundation_models)
    assert (code, status) == ("UnrecognizedClientException", 403)
    assert message == "The security token included in the request is invalid."


@pytest.mark.parametrize(
    ("inject", "code", "status"),
    [
        (lambda s: s.throttle("us-east-1"), "ThrottlingException", 429),
        (lambda s: s.server_error("us-east-1"), "InternalServerException", 500),
        (lambda s: s.server_error("us-east-1", status=503), "ServiceUnavailableException", 503),
        (lambda s: s.deny_access("us-east-1"), "AccessDeniedException", 403),
        (lambda s: s.unrecognized_client("us-east-1"), "UnrecognizedClientException", 403),
        (
            lambda s: s.fail_with("us-east-1", "ResourceNotFoundException", "gone"),
            "ResourceNotFoundException",
            404,
        ),
    ],
)
def test_injected_faults_answer_with_the_aws_error_shape(
    bedrock_server: BedrockServer, inject: Any, code: str, status: int
) -> None:
    inject(bedrock_server)
    assert error_of(client(bedrock_server).list_foundation_models)[:2] == (code, status)


def test_a_counted_fault_stops_after_n_calls_and_only_hits_its_page(
    bedrock_server: BedrockServer,
) -> None:
    bedrock_server.throttle("us-east-1", 1, operation="ListInferenceProfiles", page=2)
    bedrock = client(bedrock_server)
    first = bedrock.list_inference_profiles()
    assert error_of(bedrock.list_inference_profiles, nextToken=first["nextToken"])[0] == (
        "ThrottlingException"
    )
    assert bedrock.list_inference_profiles(nextToken=first["nextToken"])
    assert [(r.page, r.status) for r in bedrock_server.records("us-east-1")] == [
        (1, 200),
        (2, 429),
        (2, 200),
    ]


def test_a_hang_blocks_until_released(bedrock_server: BedrockServer) -> None:
    release = bedrock_server.hang("us-east-1", times=1)
    answers: list[int] = []
    caller = threading.Thread(
        target=lambda: answers.append(len(client(bedrock_server).list_foundation_models()))
    )
    caller.start()
    assert bedrock_server.wait_for_count(1, "us-east-1")
    assert answers == []
    release.set()
    caller.join(timeout=5)
    assert answers and not caller.is_alive()


def test_stop_releases_a_hang_and_joins_every_handler_thread() -> None:
    server = BedrockServer({"us-east-1": {"models": []}}).start()
    server.hang("us-east-1")
    failures: list[Exception] = []

    def call() -> None:
        try:
            client(server).list_foundation_models()
        except Exception as error:  # the connection is dropped at stop
            failures.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    assert server.wait_for_count(1)
    before = {t.name for t in threading.enumerate()}
    server.stop()
    caller.join(timeout=5)
    assert failures and not caller.is_alive()
    assert not [
        t for t in threading.enumerate() if t.name in before and "process_request" in t.name
    ]


def test_malformed_json_is_a_200_with_a_broken_body(bedrock_server: BedrockServer) -> None:
    bedrock_server.malformed_json("us-east-1")
    import urllib.request

    request = urllib.request.Request(
        bedrock_server.url + "/foundation-models",
        headers={
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/bedrock/"
            "aws4_request, SignedHeaders=host, Signature=0"
        },
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        with pytest.raises(ValueError):
            json.loads(response.read())


def test_unknown_paths_are_unknown_operations_and_routes_can_be_added(
    bedrock_server: BedrockServer,
) -> None:
    runtime = boto3.Session().client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=bedrock_server.url,
        config=NO_RETRY,
    )
    messages = [{"role": "user", "content": [{"text": "hi"}]}]
    code, status, _ = error_of(runtime.converse, modelId="amazon.nova-pro-v1:0", messages=messages)
    assert (code, status) == ("UnknownOperationException", 404)

    def converse(request: Request) -> Response:
        if request.path_params["model_id"] != "amazon.nova-pro-v1:0":
            return error_response("ValidationException", "bad model")
        return Response(
            body={
                "output": {"message": {"role": "assistant", "content": [{"text": "hello"}]}},
                "stopReason": "end_turn",
                "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
                "metrics": {"latencyMs": 1},
            }
        )

    bedrock_server.add_route("POST", r"/model/(?P<model_id>[^/]+)/converse", "Converse", converse)
    answer = runtime.converse(modelId="amazon.nova-pro-v1:0", messages=messages)
    assert answer["output"]["message"]["content"] == [{"text": "hello"}]
    assert bedrock_server.count("us-east-1", "Converse") == 1


def test_standalone_server_with_runtime_serves_converse() -> None:
    """``python -m tests.bedrock_server --runtime``: what the docs tell people to try by hand."""
    import subprocess
    import sys

    from tests.conftest import WORLD_SMALL

    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.bedrock_server", "--snapshot", str(WORLD_SMALL), "--runtime"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        client = boto3.client("bedrock-runtime", region_name="us-east-1", endpoint_url=url)
        answer = client.converse(
            modelId="us.amazon.nova-lite-v1:0",
            messages=[{"role": "user", "content": [{"text": "hi"}]}],
        )
        assert answer["output"]["message"]["content"][0]["text"]
    finally:
        process.terminate()
        process.wait(timeout=10)
