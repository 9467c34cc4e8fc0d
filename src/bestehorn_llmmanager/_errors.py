"""The package's one error hierarchy; each error carries the facts a caller needs to act on it.

The root is 0.9's ``LLMManagerError`` (``message`` and ``details``), so every ``except`` a 0.9
user wrote still catches what it caught. The catalog's errors live under ``CatalogError`` as they
always did; the manager's own errors sit under the 0.9 class with the same meaning. This module
holds data and messages only: it imports nothing of the package and must never do I/O.

Our exception hierarchy (``+`` a 0.9 class, ``-`` one of ours; a second base after ``&``)::

    * LLMManagerError                       message, details
      + ConfigurationError  & ValueError    invalid_config        (also a CatalogError, see below)
      + AuthenticationError                 auth_type, region
      + ModelAccessError                    model_id, region, access_method
        + ProfileRequirementError           original_error
      + RetryExhaustedError                 attempts_made, last_errors, models_tried, regions_tried
        - AllTargetsFailedError  & CatalogError   attempts, skipped
      + RequestValidationError              validation_errors, invalid_fields
        - RequestError  & CatalogError      error_code, detail, attempts
      + StreamingError                      stream_position, partial_content
        - StreamInterruptedError            attempts, target_switches
      + ContentError                        content_type, content_size, max_allowed_size
      + APIFetchError                       region
        + APIThrottleError
      + CatalogError
        + CatalogUnavailableError           steps
        + CacheError                        cache_path
        + BundledDataError
        + ConfigurationError                (listed above; kept a CatalogError as before)
        - CatalogFormatError  & ValueError  reason, path
        - ModelNotFoundError  & LookupError name, suggestions
          - AmbiguousModelError             candidates
        - FetchError  & APIFetchError
          - NoCredentialsError  & AuthenticationError   detail
      + ParallelProcessingError             (0.9's parallel errors: ParallelLLMManager)
        + RequestIdCollisionError           duplicated_ids
        + ParallelExecutionError            failed_requests, total_requests, parallel_response
        + RegionDistributionError           requested_regions, available_regions
        + ParallelConfigurationError        invalid_parameter, provided_value
        + RequestTimeoutError               request_id, timeout_seconds, elapsed_seconds
        - ParallelRequestValidationError  & RequestValidationError   request_id
      - RegionDiscoveryError                (0.9: a plain Exception; BedrockRegionDiscovery)

``AllTargetsFailedError`` and ``RequestError`` keep ``CatalogError`` as a second base because they
were ``CatalogError``\\ s before the 0.9 tree arrived (code that catches ``CatalogError`` for "any
error this library raises on purpose" keeps working). ``str()`` of a 0.9 class appends its
``details`` as 0.9 did; our own classes put every fact in the message already and print just that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# Not typing.TYPE_CHECKING: this module is on the catalog's warm path, where importing typing
# costs more than the catalog's own imports.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, Protocol

__all__ = [
    "APIFetchError",
    "APIThrottleError",
    "AllTargetsFailedError",
    "AmbiguousModelError",
    "AuthenticationError",
    "BundledDataError",
    "CacheError",
    "CatalogError",
    "CatalogFormatError",
    "CatalogUnavailableError",
    "ConfigurationError",
    "ContentError",
    "ExceptionDetailFields",
    "FetchError",
    "LLMManagerError",
    "ModelAccessError",
    "ModelNotFoundError",
    "NoCredentialsError",
    "ParallelConfigurationError",
    "ParallelExecutionError",
    "ParallelProcessingError",
    "ParallelRequestValidationError",
    "RegionDiscoveryError",
    "RegionDistributionError",
    "RequestIdCollisionError",
    "RequestTimeoutError",
    "ProfileRequirementError",
    "RequestError",
    "RequestValidationError",
    "RetryExhaustedError",
    "StreamInterruptedError",
    "StreamingError",
]


class ExceptionDetailFields:
    """The keys of ``LLMManagerError.details`` (0.9's names)."""

    INVALID_CONFIG: Final[str] = "invalid_config"
    AUTH_TYPE: Final[str] = "auth_type"
    REGION: Final[str] = "region"
    MODEL_ID: Final[str] = "model_id"
    ACCESS_METHOD: Final[str] = "access_method"
    ATTEMPTS_MADE: Final[str] = "attempts_made"
    LAST_ERRORS: Final[str] = "last_errors"
    MODELS_TRIED: Final[str] = "models_tried"
    REGIONS_TRIED: Final[str] = "regions_tried"
    VALIDATION_ERRORS: Final[str] = "validation_errors"
    INVALID_FIELDS: Final[str] = "invalid_fields"
    STREAM_POSITION: Final[str] = "stream_position"
    PARTIAL_CONTENT: Final[str] = "partial_content"
    CONTENT_TYPE: Final[str] = "content_type"
    CONTENT_SIZE: Final[str] = "content_size"
    MAX_ALLOWED_SIZE: Final[str] = "max_allowed_size"


def _details(**facts: Any) -> dict[str, Any] | None:
    """The facts that are set (not None, not empty), or None when there are none (0.9's rule)."""
    found = {k: v for k, v in facts.items() if v is not None and v not in ([], "")}
    return found or None


class LLMManagerError(Exception):
    """Base class of every error this package raises on purpose.

    ``message`` is the sentence; ``details`` a dict of the facts behind it, or None.
    """

    # Class-level defaults: with several bases, every attribute of every base is always present.
    message: str = ""
    details: dict[str, Any] | None = None
    #: Whether ``str()`` appends ``details`` (0.9's format); our own classes say it all already.
    _details_in_str = True

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        if self._details_in_str and self.details is not None:
            return f"{self.message}. Details: {self.details}"
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(message={self.message!r}, details={self.details!r})"


class CatalogError(LLMManagerError):
    """Base class of the model catalog's errors (0.9's name and place)."""


# -- the 0.9 classes ------------------------------------------------------------------------------


class AuthenticationError(LLMManagerError):
    """AWS did not accept the caller's credentials (or there were none)."""

    auth_type: str | None = None
    region: str | None = None

    def __init__(
        self, message: str, auth_type: str | None = None, region: str | None = None
    ) -> None:
        LLMManagerError.__init__(self, message, _details(auth_type=auth_type, region=region))
        self.auth_type = auth_type
        self.region = region


class ModelAccessError(LLMManagerError):
    """A model could not be reached in a region by an access method."""

    model_id: str | None = None
    region: str | None = None
    access_method: str | None = None

    def __init__(
        self,
        message: str,
        model_id: str | None = None,
        region: str | None = None,
        access_method: str | None = None,
    ) -> None:
        details = _details(model_id=model_id, region=region, access_method=access_method)
        LLMManagerError.__init__(self, message, details)
        self.model_id = model_id
        self.region = region
        self.access_method = access_method


class ProfileRequirementError(ModelAccessError):
    """The model is not callable on demand in the region: it needs an inference profile."""

    original_error: Exception | None = None

    def __init__(
        self,
        model_id: str,
        region: str,
        original_error: Exception,
        message: str | None = None,
    ) -> None:
        text = message or f"Model {model_id} requires inference profile in {region}"
        ModelAccessError.__init__(self, text, model_id=model_id, region=region)
        self.original_error = original_error


class RetryExhaustedError(LLMManagerError):
    """Every attempt failed; the facts say how many, with which errors, on which models/regions."""

    attempts_made: int | None = None
    last_errors: list[Exception]
    models_tried: list[str]
    regions_tried: list[str]

    def __init__(
        self,
        message: str,
        attempts_made: int | None = None,
        last_errors: list[Exception] | None = None,
        models_tried: list[str] | None = None,
        regions_tried: list[str] | None = None,
    ) -> None:
        details = _details(
            attempts_made=attempts_made,
            last_errors=[str(e) for e in last_errors or ()],
            models_tried=list(models_tried or ()),
            regions_tried=list(regions_tried or ()),
        )
        LLMManagerError.__init__(self, message, details)
        self.attempts_made = attempts_made
        self.last_errors = list(last_errors or ())
        self.models_tried = list(models_tried or ())
        self.regions_tried = list(regions_tried or ())


class RequestValidationError(LLMManagerError):
    """The request is not valid (checked before sending, or refused by Bedrock)."""

    validation_errors: list[str]
    invalid_fields: list[str]

    def __init__(
        self,
        message: str,
        validation_errors: list[str] | None = None,
        invalid_fields: list[str] | None = None,
    ) -> None:
        details = _details(
            validation_errors=list(validation_errors or ()),
            invalid_fields=list(invalid_fields or ()),
        )
        LLMManagerError.__init__(self, message, details)
        self.validation_errors = list(validation_errors or ())
        self.invalid_fields = list(invalid_fields or ())


class StreamingError(LLMManagerError):
    """A streamed answer failed; ``partial_content`` is the text received before the failure."""

    stream_position: int | None = None
    partial_content: str | None = None

    def __init__(
        self,
        message: str,
        stream_position: int | None = None,
        partial_content: str | None = None,
    ) -> None:
        details = _details(stream_position=stream_position, partial_content=partial_content)
        LLMManagerError.__init__(self, message, details)
        self.stream_position = stream_position
        self.partial_content = partial_content


class ContentError(LLMManagerError):
    """Content (an image, a document, ...) is invalid or too large."""

    content_type: str | None = None
    content_size: int | None = None
    max_allowed_size: int | None = None

    def __init__(
        self,
        message: str,
        content_type: str | None = None,
        content_size: int | None = None,
        max_allowed_size: int | None = None,
    ) -> None:
        details = _details(
            content_type=content_type,
            content_size=content_size,
            max_allowed_size=max_allowed_size,
        )
        LLMManagerError.__init__(self, message, details)
        self.content_type = content_type
        self.content_size = content_size
        self.max_allowed_size = max_allowed_size


class APIFetchError(LLMManagerError):
    """A control-plane call (listing models or profiles) failed."""

    region: str | None = None

    def __init__(self, message: str, region: str | None = None) -> None:
        LLMManagerError.__init__(self, message, _details(region=region))
        self.region = region


class APIThrottleError(APIFetchError):
    """A control-plane call was throttled and its retries ran out (transient, unlike denial)."""


class CatalogUnavailableError(CatalogError):
    """No catalog could be loaded; ``steps`` maps each step of the waterfall to why it failed.

    Takes the steps (our form) or one message (0.9's form, ``steps`` then empty).
    """

    steps: dict[str, str]

    def __init__(self, steps: Mapping[str, str] | str) -> None:
        if isinstance(steps, str):
            self.steps = {}
            message = steps
        else:
            self.steps = dict(steps)
            lines = "; ".join(f"{step}: {why}" for step, why in self.steps.items())
            message = f"no Bedrock catalog could be loaded ({lines})"
        LLMManagerError.__init__(self, message)


class CacheError(CatalogError):
    """A catalog cache could not be read or written; ``cache_path`` names it."""

    cache_path: str | None = None

    def __init__(self, message: str, cache_path: str | None = None) -> None:
        LLMManagerError.__init__(self, message, _details(cache_path=cache_path))
        self.cache_path = cache_path


class BundledDataError(CatalogError):
    """The catalog bundled with the package is missing or corrupt."""


class ConfigurationError(CatalogError, ValueError):
    """The caller's configuration cannot work; the message names each problem and its fix.

    ``invalid_config`` (0.9) holds the offending settings, e.g. each model and why it is unusable.
    """

    invalid_config: dict[str, Any] | None = None
    _details_in_str = False  # the message names every problem already

    def __init__(self, message: str, invalid_config: dict[str, Any] | None = None) -> None:
        LLMManagerError.__init__(self, message, _details(invalid_config=invalid_config))
        self.invalid_config = invalid_config


# -- the catalog's own errors --------------------------------------------------------------------


class CatalogFormatError(CatalogError, ValueError):
    """A catalog file (cache or bundle) is not valid: bad JSON, shape, checksum or schema."""

    def __init__(self, reason: str, *, path: str | Path | None = None) -> None:
        self.reason = reason
        self.path = Path(path) if path is not None else None
        where = f"{self.path}: " if self.path is not None else ""
        LLMManagerError.__init__(self, f"{where}invalid catalog file: {reason}")


class ModelNotFoundError(CatalogError, LookupError):
    """No model matches the name; ``suggestions`` holds up to five close names.

    ``suggestions`` may be given as a function: it runs when the suggestions (or the message,
    which holds them) are first read, so a miss that nobody prints costs no search.
    """

    def __init__(
        self, name: str, suggestions: Sequence[str] | Callable[[], Sequence[str]] = ()
    ) -> None:
        self.name = name
        self._suggest = suggestions if callable(suggestions) else None
        self._suggestions = None if callable(suggestions) else tuple(suggestions)
        self._message: str | None = None
        Exception.__init__(self, name)

    @property
    def suggestions(self) -> tuple[str, ...]:
        found = self._suggestions
        if found is None:
            found = self._suggestions = tuple(self._suggest() if self._suggest else ())
        return found

    @suggestions.setter
    def suggestions(self, value: Sequence[str]) -> None:
        self._suggestions = tuple(value)

    @property
    def message(self) -> str:
        text = self._message
        if text is None:
            text = f"no Bedrock model matches {self.name!r}"
            if self.suggestions:
                text += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
            else:
                text += "; list the known models with `bedrock-catalog list`"
            self._message = text
        return text

    @message.setter
    def message(self, value: str) -> None:
        self._message = value

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with its suggestions computed: the search function does not travel.
        state = dict(self.__dict__, _suggestions=self.suggestions, _suggest=None)
        return (_new_error, (type(self), self.args), state)


def _new_error(cls: type[BaseException], args: tuple[Any, ...]) -> BaseException:
    error = cls.__new__(cls)
    error.args = args
    return error


class AmbiguousModelError(ModelNotFoundError):
    """Several models match the name equally well; ``candidates`` lists their ids."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.candidates = tuple(candidates)
        LLMManagerError.__init__(
            self,
            f"{name!r} matches several Bedrock models: {', '.join(self.candidates)}; "
            "pass one of these model ids instead",
        )
        self.name = name
        self.suggestions = self.candidates


class FetchError(CatalogError, APIFetchError):
    """A live fetch failed as a whole (not one region); ``region`` is None then."""

    def __init__(self, message: str, region: str | None = None) -> None:
        LLMManagerError.__init__(self, message)
        self.region = region


class NoCredentialsError(FetchError, AuthenticationError):
    """No usable AWS credentials; raised once per fetch or call, never once per region."""

    def __init__(self, detail: str = "no AWS credentials found") -> None:
        self.detail = detail
        LLMManagerError.__init__(
            self,
            f"{detail}; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "or pass session=boto3.Session(profile_name=...)",
        )
        self.auth_type = "credentials"


# -- the manager's own errors --------------------------------------------------------------------


if TYPE_CHECKING:

    class _Attempt(Protocol):
        """What these errors read from one attempt record (the manager's ``Attempt``)."""

        @property
        def model_id(self) -> str: ...
        @property
        def region(self) -> str: ...
        @property
        def error_code(self) -> str | None: ...
        @property
        def message(self) -> str | None: ...
        def describe(self) -> str: ...


class AllTargetsFailedError(RetryExhaustedError, CatalogError):
    """No target answered; ``attempts`` holds every request sent, each with its error code.

    The message has exactly one line per attempt. Targets skipped without a request
    (``skipped``: access denied recently, no streaming for ``converse_stream``, or dropped after
    a stale-catalog refusal) are named at the end of the last line, or on the only line when
    nothing was sent. The 0.9 facts come from the same records: ``attempts_made``,
    ``last_errors`` (one ``ModelAccessError`` per failed attempt), ``models_tried`` and
    ``regions_tried``.
    """

    _details_in_str = False

    def __init__(self, attempts: Sequence[_Attempt], skipped: Sequence[str] = ()) -> None:
        self.attempts = tuple(attempts)
        self.skipped = tuple(skipped)
        lines = [f"attempt {n}: {a.describe()}" for n, a in enumerate(self.attempts, 1)]
        not_tried = "; ".join(self.skipped)
        if not lines:
            lines = [f"no target to try: {not_tried}" if not_tried else "no target to try"]
        elif not_tried:
            lines[-1] += f" (not tried: {not_tried})"
        failed: list[Exception] = [
            ModelAccessError(f"{a.error_code}: {a.message or ''}", a.model_id, a.region)
            for a in self.attempts
            if a.error_code is not None
        ]
        RetryExhaustedError.__init__(
            self,
            "\n".join(lines),
            attempts_made=len(self.attempts),
            last_errors=failed,
            models_tried=list(dict.fromkeys(a.model_id for a in self.attempts)),
            regions_tried=list(dict.fromkeys(a.region for a in self.attempts)),
        )


class RequestError(RequestValidationError, CatalogError):
    """Bedrock rejected the request itself (or botocore did, before sending it): not retried.

    ``error_code`` and ``detail`` are the service's; ``attempts`` the requests sent so far.
    """

    _details_in_str = False

    def __init__(self, error_code: str, detail: str, attempts: Sequence[_Attempt] = ()) -> None:
        self.error_code = error_code
        self.detail = detail
        self.attempts = tuple(attempts)
        RequestValidationError.__init__(
            self,
            f"the Converse request is invalid ({error_code}: {detail}); it was not sent to any "
            "other model or region because none could accept it: fix the request",
            validation_errors=[f"{error_code}: {detail}"],
        )


class StreamInterruptedError(StreamingError):
    """A stream failed after its first chunk and could not be recovered honestly.

    ``partial_content`` is the text the caller already received; ``attempts`` every request sent
    (including the recovery attempts); ``target_switches`` how often the stream moved target.
    """

    _details_in_str = False

    def __init__(
        self,
        message: str,
        *,
        partial_content: str,
        attempts: Sequence[_Attempt] = (),
        target_switches: int = 0,
    ) -> None:
        StreamingError.__init__(
            self, message, stream_position=len(partial_content), partial_content=partial_content
        )
        self.attempts = tuple(attempts)
        self.target_switches = target_switches


# -- the parallel layer (0.9's bedrock/exceptions/parallel_exceptions.py) ------------------------


class ParallelProcessingError(LLMManagerError):
    """Base class of the errors ``ParallelLLMManager`` raises."""


class RequestIdCollisionError(ParallelProcessingError):
    """Several requests of one batch share an id; ``duplicated_ids`` maps each id to them."""

    def __init__(
        self, duplicated_ids: Mapping[str, Sequence[Any]], details: dict[str, Any] | None = None
    ) -> None:
        self.duplicated_ids = {k: list(v) for k, v in duplicated_ids.items()}
        summary = ", ".join(f"ID '{k}': {len(v)} requests" for k, v in self.duplicated_ids.items())
        if details is None and self.duplicated_ids:
            details = {
                "collision_count": len(self.duplicated_ids),
                "total_colliding_requests": self.get_total_colliding_requests(),
                "collision_ids": list(self.duplicated_ids),
            }
        ParallelProcessingError.__init__(
            self,
            f"Request ID collisions detected: {summary}; give each request its own request_id "
            "(or leave it None to have one generated)",
            details,
        )

    def get_duplicated_ids(self) -> dict[str, list[Any]]:
        return {k: list(v) for k, v in self.duplicated_ids.items()}

    def get_collision_count(self) -> int:
        return len(self.duplicated_ids)

    def get_total_colliding_requests(self) -> int:
        return sum(len(v) for v in self.duplicated_ids.values())


class ParallelExecutionError(ParallelProcessingError):
    """A batch ended under a stop policy (first failure, failure threshold).

    ``parallel_response`` (an addition to 0.9) holds every answer the batch got, so raising
    loses nothing: the successful responses are there, and the failed ones can be retried.
    """

    def __init__(
        self,
        message: str,
        failed_requests: Sequence[str],
        total_requests: int,
        details: dict[str, Any] | None = None,
        *,
        parallel_response: Any = None,
    ) -> None:
        self.failed_requests = list(failed_requests)
        self.total_requests = total_requests
        self.parallel_response = parallel_response
        if details is None:
            details = {
                "failed_request_count": len(self.failed_requests),
                "total_request_count": total_requests,
                "success_rate": self.get_success_rate(),
                "failed_request_ids": list(self.failed_requests),
            }
        ParallelProcessingError.__init__(self, message, details)

    def get_failed_requests(self) -> list[str]:
        return list(self.failed_requests)

    def get_failure_rate(self) -> float:
        if self.total_requests == 0:
            return 0.0
        return len(self.failed_requests) / self.total_requests * 100.0

    def get_success_rate(self) -> float:
        return 100.0 - self.get_failure_rate()


class RegionDistributionError(ParallelProcessingError):
    """More regions were asked per request than the manager has."""

    def __init__(
        self,
        message: str,
        requested_regions: int,
        available_regions: int,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.requested_regions = requested_regions
        self.available_regions = available_regions
        if details is None:
            details = {
                "requested_regions": requested_regions,
                "available_regions": available_regions,
                "shortage": self.get_shortage(),
            }
        ParallelProcessingError.__init__(self, message, details)

    def get_shortage(self) -> int:
        return max(0, self.requested_regions - self.available_regions)


class ParallelConfigurationError(ParallelProcessingError):
    """A ParallelLLMManager argument cannot work; ``invalid_parameter`` names it."""

    def __init__(
        self,
        message: str,
        invalid_parameter: str | None = None,
        provided_value: Any = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.invalid_parameter = invalid_parameter
        self.provided_value = provided_value
        if details is None and invalid_parameter is not None:
            details = {"invalid_parameter": invalid_parameter, "provided_value": provided_value}
        ParallelProcessingError.__init__(self, message, details)

    def get_invalid_parameter(self) -> str | None:
        return self.invalid_parameter

    def get_provided_value(self) -> Any:
        return self.provided_value


class RequestTimeoutError(ParallelProcessingError):
    """One request of a batch ran past ``request_timeout_seconds``."""

    def __init__(
        self,
        message: str,
        request_id: str,
        timeout_seconds: float,
        elapsed_seconds: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.request_id = request_id
        self.timeout_seconds = timeout_seconds
        self.elapsed_seconds = elapsed_seconds
        if details is None:
            details = {
                "request_id": request_id,
                "timeout_seconds": timeout_seconds,
                "elapsed_seconds": elapsed_seconds,
            }
        ParallelProcessingError.__init__(self, message, details)

    def get_request_id(self) -> str:
        return self.request_id

    def get_timeout_duration(self) -> float:
        return self.timeout_seconds

    def get_elapsed_time(self) -> float | None:
        return self.elapsed_seconds


class ParallelRequestValidationError(ParallelProcessingError, RequestValidationError):
    """A batch's requests are not valid (0.9: ``parallel_exceptions.RequestValidationError``).

    Also a ``RequestValidationError``, so one ``except`` catches invalid requests of both paths.
    """

    def __init__(
        self,
        message: str,
        request_id: str | None = None,
        validation_errors: Sequence[str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.request_id = request_id
        self.validation_errors = list(validation_errors or ())
        self.invalid_fields = []
        if details is None:
            details = {
                "request_id": request_id,
                "validation_error_count": len(self.validation_errors),
                "validation_errors": list(self.validation_errors),
            }
        LLMManagerError.__init__(self, message, details)

    def get_request_id(self) -> str | None:
        return self.request_id

    def get_validation_errors(self) -> list[str]:
        return list(self.validation_errors)

    def get_validation_error_count(self) -> int:
        return len(self.validation_errors)


class RegionDiscoveryError(LLMManagerError):
    """The Bedrock regions could not be listed (0.9: a plain ``Exception``)."""

    _details_in_str = False
