"""ParallelLLMManager: 0.9's batch interface on top of one LLMManager and its failover engine.

One ``LLMManager`` holds the runtime clients (one per region) and does every send; this class
validates a batch, runs it through a bounded pool of workers (``_run``), orders each request's
regions with the load-balancing strategy and what the batch learns about throttling
(``_schedule``), and assembles the ``ParallelResponse``. It never sends a request itself and
never sends one twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from .._errors import (
    ParallelConfigurationError,
    ParallelExecutionError,
    ParallelProcessingError,
    ParallelRequestValidationError,
    RegionDistributionError,
    RequestIdCollisionError,
)
from ._run import Outcome, run_batch
from ._schedule import Scheduler
from ._structures import (
    DEFAULT_REQUEST_TIMEOUT_SECONDS,
    BedrockConverseRequest,
    FailureHandlingStrategy,
    ParallelExecutionStats,
    ParallelProcessingConfig,
    ParallelResponse,
)

if TYPE_CHECKING:
    from .._llm import BedrockResponse, LLMManager

logger = logging.getLogger(__name__)

__all__ = ["ParallelLLMManager"]

#: The warning text that marks a timed-out request (0.9 sorted failures by it).
TIMED_OUT_MARKER: Final = "timed out"
_ROLES: Final = frozenset({"user", "assistant"})
# Content block kinds a Converse message may hold (a block holds exactly one of them).
_BLOCK_KINDS: Final = frozenset(
    {
        "text",
        "image",
        "document",
        "video",
        "toolUse",
        "toolResult",
        "guardContent",
        "cachePoint",
        "reasoningContent",
        "citationsContent",
    }
)


class ParallelLLMManager:
    """Run many Converse requests at once over the manager's models and regions.

    Args:
        models, regions: as for ``LLMManager``.
        parallel_config: concurrency, timeout, strategies (``ParallelProcessingConfig``).
        llm_manager: an existing ``LLMManager`` to share (an addition to 0.9): its clients,
            catalog and failover settings serve the batch. Then ``models``/``regions`` may be
            omitted; given, they must match the manager's.
        The other arguments are 0.9's and go to the ``LLMManager`` this class creates;
        ``**llm_options`` passes any further ``LLMManager`` argument (``catalog=``,
        ``session=``, ...).

    Raises:
        ParallelConfigurationError: no models or no regions, or a bad ``parallel_config``.
    """

    def __init__(
        self,
        models: Sequence[str] | None = None,
        regions: Sequence[str] | None = None,
        auth_config: Any = None,
        boto3_config: Any = None,
        retry_config: Any = None,
        parallel_config: ParallelProcessingConfig | None = None,
        force_download: bool = False,
        force_refresh: bool = False,
        strict_cache_mode: bool = False,
        ignore_cache_age: bool = False,
        default_inference_config: dict[str, Any] | None = None,
        timeout: int = DEFAULT_REQUEST_TIMEOUT_SECONDS,
        log_level: int | str | None = None,
        region_order: str | None = None,
        access_method_preference: str | None = None,
        global_cris_fraction: float | None = None,
        cache_config: Any = None,
        *,
        llm_manager: LLMManager | None = None,
        **llm_options: Any,
    ) -> None:
        if parallel_config is None:
            parallel_config = ParallelProcessingConfig()
        elif not isinstance(parallel_config, ParallelProcessingConfig):
            raise ParallelConfigurationError(
                "parallel_config must be a ParallelProcessingConfig, "
                f"got {type(parallel_config).__name__}",
                invalid_parameter="parallel_config",
                provided_value=parallel_config,
            )
        self._config = parallel_config
        if llm_manager is None:
            self._check_list("models", models)
            self._check_list("regions", regions)
            from .._llm import LLMManager

            given = {
                "auth_config": auth_config,
                "boto3_config": boto3_config,
                "retry_config": retry_config,
                "default_inference_config": default_inference_config,
                "log_level": log_level,
                "region_order": region_order,
                "access_method_preference": access_method_preference,
                "global_cris_fraction": global_cris_fraction,
                "cache_config": cache_config,
            }
            options: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
            for name, flag in (
                ("force_download", force_download),
                ("force_refresh", force_refresh),
                ("strict_cache_mode", strict_cache_mode),
                ("ignore_cache_age", ignore_cache_age),
            ):
                if flag:
                    options[name] = flag
            # Both are 0.9's per-request bound; the manager's timeout also caps its socket reads,
            # so the shorter one bounds even a request whose answer never starts.
            bound = min(float(timeout), float(parallel_config.request_timeout_seconds))
            if bound != DEFAULT_REQUEST_TIMEOUT_SECONDS:
                options["timeout"] = bound
            options.update(llm_options)
            llm_manager = LLMManager(
                models=list(models or ()), regions=list(regions or ()), **options
            )
        elif llm_options:
            raise ParallelConfigurationError(
                "pass LLMManager options either to the shared llm_manager or here, not both: "
                + ", ".join(sorted(llm_options)),
                invalid_parameter=next(iter(sorted(llm_options))),
            )
        self._llm = llm_manager
        self._models = list(models) if models else list(llm_manager.get_available_models())
        self._regions = list(regions) if regions else list(llm_manager.get_available_regions())
        if len(self._regions) < 2:
            logger.info("one region only: parallel requests cannot spread over regions")
        logger.info(
            "ParallelLLMManager: %d models, %d regions, up to %d requests at once",
            len(self._models),
            len(self._regions),
            self._config.max_concurrent_requests,
        )

    @staticmethod
    def _check_list(name: str, values: Sequence[str] | None) -> None:
        if not values:
            raise ParallelConfigurationError(
                f"No {name} specified for ParallelLLMManager; pass at least one",
                invalid_parameter=name,
                provided_value=values,
            )
        if isinstance(values, str):
            raise ParallelConfigurationError(
                f"{name}: pass a list, not the string {values!r}",
                invalid_parameter=name,
                provided_value=values,
            )

    # -- the batch -----------------------------------------------------------------------------

    def converse_parallel(
        self,
        requests: Sequence[BedrockConverseRequest],
        target_regions_per_request: int | None = None,
        response_validation_config: Any = None,
        model_specific_config: Any = None,
    ) -> ParallelResponse:
        """Send every request once, at most ``max_concurrent_requests`` at a time.

        Each request starts in the region the load-balancing strategy picks (a region that
        throttled earlier in the batch goes last) and fails over through the manager's other
        targets. ``target_regions_per_request`` (default: min(concurrency, regions)) is how
        many regions are recorded as the request's assignment; failover is never narrowed.

        Returns:
            A ParallelResponse with exactly one BedrockResponse per request id.

        Raises:
            ParallelRequestValidationError: an empty batch or a malformed request (every
                problem listed); nothing is sent.
            RequestIdCollisionError: two requests share an id; nothing is sent.
            RegionDistributionError: more regions per request than the manager has.
            ParallelExecutionError: the failure strategy stopped the batch; its
                ``parallel_response`` holds every answer.
        """
        started = time.perf_counter()
        batch = self._validate(requests)
        width = self._width(target_regions_per_request)
        scheduler = Scheduler(self._servable_regions(), self._config.load_balancing_strategy)
        outcomes = run_batch(
            batch,
            send=self._sender(response_validation_config, model_specific_config),
            fail=self._failure,
            scheduler=scheduler,
            workers=self._config.max_concurrent_requests,
            width=width,
            stop_after=self._stop_rule(),
        )
        total_ms = (time.perf_counter() - started) * 1000.0
        response = self._assemble(batch, outcomes, total_ms)
        self._enforce(response)
        return response

    def retry_failed_requests(
        self,
        previous_response: ParallelResponse,
        filter_func: Callable[[str, BedrockResponse], bool] | None = None,
        target_regions_per_request: int | None = None,
        response_validation_config: Any = None,
        model_specific_config: Any = None,
    ) -> ParallelResponse:
        """Send the failed and timed-out requests of ``previous_response`` again (each once)
        and merge: earlier successes are kept, the retried requests get their new answers.

        ``filter_func(request_id, failed_response)`` chooses which to retry; when it raises,
        that request is not retried and the error is logged (as in 0.9).

        Raises:
            ValueError: ``previous_response`` has nothing to retry.
        """
        retryable = previous_response.get_retryable_request_ids()
        if not retryable:
            raise ValueError(
                "No failed or timed-out requests to retry in previous response; "
                "every request succeeded"
            )
        chosen: list[BedrockConverseRequest] = []
        for request_id in retryable:
            request = previous_response.original_requests.get(request_id)
            failed = previous_response.request_responses.get(request_id)
            if request is None or failed is None:
                logger.warning("request %s: no original request kept, not retried", request_id)
                continue
            if filter_func is not None:
                try:
                    if not filter_func(request_id, failed):
                        continue
                except Exception as exc:
                    logger.error("filter_func raised for %s (%s); not retried", request_id, exc)
                    continue
            request.retry_count = 0
            request.failure_history.clear()
            chosen.append(request)
        if not chosen:
            logger.warning("no request selected for retry after applying filter_func")
            return previous_response
        logger.info("retrying %d failed requests", len(chosen))
        try:
            retried = self.converse_parallel(
                chosen,
                target_regions_per_request=target_regions_per_request,
                response_validation_config=response_validation_config,
                model_specific_config=model_specific_config,
            )
        except ParallelExecutionError as exc:
            if exc.parallel_response is None:
                raise
            retried = exc.parallel_response
        merged = self._merge(previous_response, retried)
        self._enforce(merged)
        return merged

    def converse_with_request(self, request: BedrockConverseRequest) -> BedrockResponse:
        """One request through the manager, as ``LLMManager.converse`` would send it."""
        return self._llm.converse(**request.to_converse_args())

    # -- 0.9's accessors -----------------------------------------------------------------------

    def get_available_models(self) -> list[str]:
        return list(self._models)

    def get_available_regions(self) -> list[str]:
        return list(self._regions)

    def get_parallel_config(self) -> ParallelProcessingConfig:
        return self._config

    def get_underlying_llm_manager(self) -> LLMManager:
        """The one LLMManager (and its clients) every request of every batch goes through."""
        return self._llm

    def validate_configuration(self) -> dict[str, Any]:
        """The manager's validation plus the parallel settings (0.9's keys)."""
        base = dict(self._llm.validate_configuration())
        warnings: list[str] = []
        if self._config.max_concurrent_requests > len(self._regions) * 2:
            warnings.append(
                f"High concurrency ({self._config.max_concurrent_requests}) compared to "
                f"available regions ({len(self._regions)})"
            )
        base.update(
            {
                "parallel_config_valid": True,
                "parallel_errors": [],
                "parallel_warnings": warnings,
                "max_concurrent_requests": self._config.max_concurrent_requests,
                "target_regions_available": len(self._regions),
                "load_balancing_strategy": self._config.load_balancing_strategy.value,
            }
        )
        base["valid"] = bool(base.get("valid", True))
        return base

    def refresh_model_data(self) -> None:
        """Refresh the manager's catalog.

        Raises:
            ParallelProcessingError: the refresh failed (the cause is chained).
        """
        try:
            self._llm.refresh_model_data()
        except Exception as exc:
            raise ParallelProcessingError(f"Failed to refresh model data: {exc}") from exc

    def __repr__(self) -> str:
        return (
            f"ParallelLLMManager(models={len(self._models)}, regions={len(self._regions)}, "
            f"max_concurrent={self._config.max_concurrent_requests}, "
            f"strategy={self._config.load_balancing_strategy.value})"
        )

    # -- internals -----------------------------------------------------------------------------

    def _validate(self, requests: Sequence[BedrockConverseRequest]) -> list[BedrockConverseRequest]:
        if isinstance(requests, BedrockConverseRequest) or not isinstance(requests, Sequence):
            raise ParallelRequestValidationError(
                "requests: pass a list of BedrockConverseRequest objects",
                validation_errors=[f"got {type(requests).__name__}"],
            )
        batch = list(requests)
        if not batch:
            raise ParallelRequestValidationError(
                "Request list cannot be empty; pass at least one BedrockConverseRequest"
            )
        problems: list[str] = []
        by_id: dict[str, list[BedrockConverseRequest]] = {}
        for index, request in enumerate(batch):
            if not isinstance(request, BedrockConverseRequest):
                problems.append(
                    f"request {index}: expected a BedrockConverseRequest, "
                    f"got {type(request).__name__}"
                )
                continue
            by_id.setdefault(request.request_id or "", []).append(request)
            problems.extend(f"Request {request.request_id}: {p}" for p in _problems(request))
        duplicates = {k: v for k, v in by_id.items() if len(v) > 1}
        if duplicates:
            raise RequestIdCollisionError(duplicates)
        if problems:
            raise ParallelRequestValidationError(
                f"Request structure validation failed: {len(problems)} errors found; "
                "fix the listed requests (nothing was sent)",
                validation_errors=problems,
            )
        return batch

    def _servable_regions(self) -> list[str]:
        """The manager's regions where at least one of its models has a target, in order: a
        request started in a region no model reaches would only go on to the next region, so
        load balancing counts only these (all regions when the manager reports none)."""
        reached = {target.region for target in self._llm.targets}
        servable = [r for r in self._regions if r in reached]
        return servable or list(self._regions)

    def _width(self, target_regions_per_request: int | None) -> int:
        available = len(self._regions)
        if target_regions_per_request is None:
            return max(1, min(self._config.max_concurrent_requests, available))
        value = target_regions_per_request
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ParallelConfigurationError(
                f"target_regions_per_request must be a positive integer, got: {value!r}",
                invalid_parameter="target_regions_per_request",
                provided_value=value,
            )
        if value > available:
            raise RegionDistributionError(
                f"target_regions_per_request={value} but the manager has {available} regions; "
                "lower it or add regions",
                requested_regions=value,
                available_regions=available,
            )
        return value

    def _sender(
        self, validation: Any, model_specific: Any
    ) -> Callable[[BedrockConverseRequest, tuple[str, ...]], Any]:
        llm = self._llm
        deadline = float(self._config.request_timeout_seconds)

        def send(request: BedrockConverseRequest, order: tuple[str, ...]) -> Any:
            args = request.to_converse_args()
            if model_specific is not None and "model_specific_config" not in args:
                args["model_specific_config"] = model_specific
            if validation is not None:
                args["response_validation_config"] = validation
            return llm._converse_ordered(order, deadline, args)

        return send

    def _failure(
        self, request: BedrockConverseRequest, error: BaseException | None, sent: bool
    ) -> Any:
        from .._llm import BedrockResponse, failed_response

        if not sent:  # no attempt: nothing was sent
            return BedrockResponse(
                success=False,
                warnings=[
                    f"Request {request.request_id} was not sent: the batch stopped early "
                    f"({self._config.failure_handling_strategy.value})"
                ],
            )
        assert error is not None
        if _is_timeout(error):
            message = (
                f"Request {request.request_id} {TIMED_OUT_MARKER} after "
                f"{self._config.request_timeout_seconds} seconds: {error}"
            )
        else:
            message = f"Request {request.request_id} failed: {error}"
        return failed_response(message, error)

    def _stop_rule(self) -> Callable[[int, int], bool]:
        strategy = self._config.failure_handling_strategy
        threshold = self._config.failure_threshold
        if strategy is FailureHandlingStrategy.STOP_ON_FIRST_FAILURE:
            return lambda failed, total: failed >= 1
        if strategy is FailureHandlingStrategy.STOP_ON_THRESHOLD:
            return lambda failed, total: failed / total > threshold
        return lambda failed, total: False

    def _assemble(
        self,
        batch: Sequence[BedrockConverseRequest],
        outcomes: Mapping[str, Outcome],
        total_ms: float,
    ) -> ParallelResponse:
        responses: dict[str, Any] = {}
        originals: dict[str, BedrockConverseRequest] = {}
        for request in batch:
            request_id = request.request_id or ""
            outcome = outcomes[request_id]
            responses[request_id] = outcome.response
            originals[request_id] = request
            if not outcome.response.success and outcome.sent:
                request.record_failure(
                    outcome.error or ParallelProcessingError(_first_warning(outcome.response)),
                    model=getattr(outcome.response, "model_used", None),
                    region=outcome.assigned_regions[0] if outcome.assigned_regions else None,
                )
        concurrent = min(len(batch), self._config.max_concurrent_requests)
        return self._response(responses, originals, total_ms, concurrent)

    def _response(
        self,
        responses: dict[str, Any],
        originals: dict[str, BedrockConverseRequest],
        total_ms: float,
        concurrent: int,
    ) -> ParallelResponse:
        ok = [k for k, r in responses.items() if r.success]
        timed_out = [k for k, r in responses.items() if not r.success and _timed_out(r)]
        failed = [k for k, r in responses.items() if not r.success and not _timed_out(r)]
        durations = [
            float(r.total_duration_ms)
            for r in responses.values()
            if r.success and r.total_duration_ms is not None
        ]
        distribution: dict[str, int] = {}
        methods: dict[str, int] = {}
        for response in responses.values():
            if not response.success:
                continue
            region, method = response.region_used, response.access_method_used
            if region:
                distribution[region] = distribution.get(region, 0) + 1
            if method:
                methods[method] = methods.get(method, 0) + 1
        stats = ParallelExecutionStats(
            total_requests=len(responses),
            successful_requests=len(ok),
            failed_requests_count=len(failed) + len(timed_out),
            average_request_duration_ms=sum(durations) / len(durations) if durations else 0.0,
            max_request_duration_ms=max(durations, default=0.0),
            min_request_duration_ms=min(durations, default=0.0),
            concurrent_executions=concurrent,
            region_distribution=distribution,
            access_method_distribution=methods,
        )
        warnings = [w for r in responses.values() for w in (r.get_warnings() or ())]
        return ParallelResponse(
            success=self._overall_success(len(ok), len(responses)),
            request_responses=responses,
            total_duration_ms=total_ms,
            parallel_execution_stats=stats,
            warnings=warnings,
            failed_requests=failed + timed_out,
            successful_request_ids=ok,
            failed_request_ids=failed,
            timed_out_request_ids=timed_out,
            original_requests=originals,
        )

    def _overall_success(self, succeeded: int, total: int) -> bool:
        failed = total - succeeded
        strategy = self._config.failure_handling_strategy
        if strategy is FailureHandlingStrategy.STOP_ON_FIRST_FAILURE:
            return failed == 0
        if strategy is FailureHandlingStrategy.STOP_ON_THRESHOLD:
            return (failed / total if total else 0.0) <= self._config.failure_threshold
        return succeeded > 0

    def _enforce(self, response: ParallelResponse) -> None:
        strategy = self._config.failure_handling_strategy
        if response.success or strategy is FailureHandlingStrategy.CONTINUE_ON_FAILURE:
            return
        total = len(response.request_responses)
        if strategy is FailureHandlingStrategy.STOP_ON_FIRST_FAILURE:
            message = (
                "Parallel execution stopped due to first failure: "
                f"{len(response.failed_requests)} of {total} requests failed or were not sent; "
                "the answers are in parallel_response"
            )
        else:
            rate = len(response.failed_requests) / total if total else 0.0
            message = (
                f"Parallel execution stopped due to failure rate {rate:.1%} exceeding threshold "
                f"{self._config.failure_threshold:.1%}; the answers are in parallel_response"
            )
        raise ParallelExecutionError(
            message, response.failed_requests, total, parallel_response=response
        )

    def _merge(self, previous: ParallelResponse, retried: ParallelResponse) -> ParallelResponse:
        responses = {k: r for k, r in previous.request_responses.items()}
        responses.update(retried.request_responses)
        originals = dict(previous.original_requests)
        originals.update(retried.original_requests)
        concurrent = max(
            (
                s.concurrent_executions
                for s in (previous.parallel_execution_stats, retried.parallel_execution_stats)
                if s is not None
            ),
            default=0,
        )
        return self._response(
            responses, originals, previous.total_duration_ms + retried.total_duration_ms, concurrent
        )


def _problems(request: BedrockConverseRequest) -> list[str]:
    """What is wrong with one request's shape (the service checks the rest)."""
    problems: list[str] = []
    messages = request.messages
    if not isinstance(messages, list) or not messages:
        return ["messages must be a non-empty list of messages"]
    for index, message in enumerate(messages):
        if not isinstance(message, Mapping):
            problems.append(f"message {index} must be a dict, got {type(message).__name__}")
            continue
        role = message.get("role")
        if role not in _ROLES:
            problems.append(f"message {index} has role {role!r}; expected 'user' or 'assistant'")
        content = message.get("content")
        if not isinstance(content, list) or not content:
            problems.append(f"message {index} content must be a non-empty list of blocks")
            continue
        for block_index, block in enumerate(content):
            if not isinstance(block, Mapping) or not _BLOCK_KINDS.intersection(block):
                problems.append(
                    f"message {index}, block {block_index} holds no content "
                    f"(expected one of {', '.join(sorted(_BLOCK_KINDS))})"
                )
    if request.system is not None:
        if not isinstance(request.system, list):
            problems.append("system must be a list of system blocks")
        else:
            for index, block in enumerate(request.system):
                if not isinstance(block, Mapping):
                    problems.append(f"system block {index} must be a dict")
    config = request.inference_config
    if config is not None:
        if not isinstance(config, Mapping):
            problems.append("inference_config must be a dict")
        elif "maxTokens" in config:
            value = config["maxTokens"]
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                problems.append(f"inferenceConfig maxTokens must be a positive integer: {value!r}")
    return problems


def _is_timeout(error: BaseException) -> bool:
    from .._errors import RequestTimeoutError

    if isinstance(error, (RequestTimeoutError, TimeoutError)):
        return True
    return "timeout" in type(error).__name__.lower() or "deadline" in str(error).lower()


def _timed_out(response: Any) -> bool:
    return any(TIMED_OUT_MARKER in str(w).lower() for w in (response.get_warnings() or ()))


def _first_warning(response: Any) -> str:
    warnings = response.get_warnings() or ()
    return str(warnings[0]) if warnings else "the request failed"
