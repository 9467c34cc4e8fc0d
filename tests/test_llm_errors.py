"""The one error hierarchy: 0.9's classes, attributes and import paths, with ours inside it."""

from __future__ import annotations

import re

import pytest

from bestehorn_llmmanager import _errors
from bestehorn_llmmanager._errors import (
    AllTargetsFailedError,
    APIFetchError,
    AuthenticationError,
    CatalogError,
    ConfigurationError,
    FetchError,
    LLMManagerError,
    ModelAccessError,
    ModelNotFoundError,
    NoCredentialsError,
    ProfileRequirementError,
    RequestError,
    RequestValidationError,
    RetryExhaustedError,
    StreamingError,
)

NAMES_09 = [
    "LLMManagerError",
    "ConfigurationError",
    "AuthenticationError",
    "ModelAccessError",
    "RetryExhaustedError",
    "RequestValidationError",
    "StreamingError",
    "ContentError",
    "APIFetchError",
    "APIThrottleError",
    "CatalogError",
    "CatalogUnavailableError",
    "CacheError",
    "BundledDataError",
    "ProfileRequirementError",
    "ExceptionDetailFields",
]


@pytest.mark.parametrize("name", NAMES_09)
def test_every_09_class_is_at_the_09_path_and_is_the_one_class(name: str) -> None:
    from bestehorn_llmmanager.bedrock.exceptions import llm_manager_exceptions

    assert getattr(llm_manager_exceptions, name) is getattr(_errors, name)
    if name != "ExceptionDetailFields":
        assert issubclass(getattr(_errors, name), LLMManagerError)


def test_the_09_package_exports_the_09_names() -> None:
    import bestehorn_llmmanager.bedrock.exceptions as package

    for name in package.__all__:
        assert getattr(package, name) is getattr(_errors, name)


def test_09_attributes_and_details() -> None:
    error = ModelAccessError("no", model_id="m", region="r", access_method="direct")
    assert (error.model_id, error.region, error.access_method) == ("m", "r", "direct")
    assert error.details == {"model_id": "m", "region": "r", "access_method": "direct"}
    assert str(error) == "no. Details: " + str(error.details)
    bare = LLMManagerError("plain")
    assert bare.details is None and str(bare) == "plain"
    config = ConfigurationError("bad", invalid_config={"models": []})
    assert config.invalid_config == {"models": []} and isinstance(config, ValueError)
    profile = ProfileRequirementError("m", "r", ValueError("x"))
    assert isinstance(profile, ModelAccessError) and profile.message.endswith("in r")
    retry = RetryExhaustedError("gone", attempts_made=2, last_errors=[ValueError("a")])
    assert retry.details == {"attempts_made": 2, "last_errors": ["a"]}
    assert retry.models_tried == [] and retry.regions_tried == []
    stream = StreamingError("cut", stream_position=3, partial_content="abc")
    assert (stream.stream_position, stream.partial_content) == (3, "abc")


class _Attempt:
    def __init__(self, model_id: str, region: str, code: str | None) -> None:
        self.model_id, self.region, self.error_code = model_id, region, code
        self.message = "why" if code else None

    def describe(self) -> str:
        return f"{self.model_id} in {self.region}: {self.error_code or 'ok'}"


def test_all_targets_failed_is_a_retry_exhausted_error_with_its_facts() -> None:
    attempts = [_Attempt("a", "us-east-1", "ThrottlingException"), _Attempt("b", "eu-west-1", "X")]
    error = AllTargetsFailedError(attempts, ["c in us-east-1: access denied recently"])
    assert isinstance(error, RetryExhaustedError) and isinstance(error, CatalogError)
    assert error.attempts_made == 2
    assert error.models_tried == ["a", "b"] and error.regions_tried == ["us-east-1", "eu-west-1"]
    assert [type(e) for e in error.last_errors] == [ModelAccessError, ModelAccessError]
    assert error.last_errors[0].region == "us-east-1"  # type: ignore[attr-defined]
    assert str(error).splitlines() == [
        "attempt 1: a in us-east-1: ThrottlingException",
        "attempt 2: b in eu-west-1: X (not tried: c in us-east-1: access denied recently)",
    ]


def test_request_error_is_a_request_validation_error() -> None:
    error = RequestError("ValidationException", "bad field")
    assert isinstance(error, RequestValidationError) and isinstance(error, CatalogError)
    assert error.validation_errors == ["ValidationException: bad field"]
    assert "Details" not in str(error)


def test_catalog_errors_keep_their_bases() -> None:
    assert issubclass(ModelNotFoundError, LookupError)
    assert issubclass(FetchError, APIFetchError) and issubclass(FetchError, CatalogError)
    error = NoCredentialsError()
    assert isinstance(error, AuthenticationError) and error.region is None
    assert error.auth_type == "credentials" and "AWS_PROFILE" in str(error)


def test_the_tree_is_drawn_in_the_docstring() -> None:
    doc = _errors.__doc__ or ""
    for name in _errors.__all__:
        if name != "ExceptionDetailFields":
            assert re.search(rf"[*+-] {name}\b", doc), name  # drawn as a node of the tree
