"""LLMManager's settings objects, with 0.9's names, fields and defaults; each validates itself once.

AuthConfig, Boto3Config, RetryConfig (with RetryStrategy, RegionOrder), CacheConfig (with
CacheStrategy, CacheErrorHandling), ModelSpecificConfig and ResponseValidationConfig (with
ValidationResult). They are values: they hold settings and check them in ``__post_init__``; the
manager maps them onto its engine. Nothing here imports boto3 (``Boto3Config.to_botocore_config``
imports botocore when called) or touches the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final

from ._response import BedrockResponse, ValidationResult

__all__ = [
    "AccessMethodPreferenceNames",
    "AuthConfig",
    "AuthenticationType",
    "Boto3Config",
    "CacheConfig",
    "CacheErrorHandling",
    "CacheMetrics",
    "CacheStrategy",
    "ModelSpecificConfig",
    "ModelSpecificFields",
    "RegionOrder",
    "ResponseValidationConfig",
    "ResponseValidationFunction",
    "RetryConfig",
    "RetryStrategy",
    "ValidationResult",
]


def _number(owner: str, name: str, value: object, *, positive: bool = False) -> None:
    """Raise ValueError unless ``value`` is a real number >= 0 (> 0 when ``positive``)."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if ok and (value > 0 if positive else value >= 0):  # type: ignore[operator]
        return
    bound = "> 0" if positive else ">= 0"
    raise ValueError(f"{owner}.{name}: expected a number {bound}, got {value!r}")


class AuthenticationType(Enum):
    """How the manager gets AWS credentials (0.9)."""

    PROFILE = "profile"
    CREDENTIALS = "credentials"
    IAM_ROLE = "iam_role"
    AUTO = "auto"


@dataclass(frozen=True)
class AuthConfig:
    """Where the credentials come from.

    Args:
        auth_type: PROFILE (``profile_name``), CREDENTIALS (the keys), IAM_ROLE or AUTO (boto3's
            default chain; IAM_ROLE means the same: the role of the machine or function).
        region: the session's default region (the manager still calls only its ``regions``).
    """

    auth_type: AuthenticationType = AuthenticationType.AUTO
    profile_name: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    session_token: str | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.auth_type, AuthenticationType):
            raise ValueError(
                f"AuthConfig.auth_type: expected an AuthenticationType, got {self.auth_type!r}"
            )
        if self.auth_type is AuthenticationType.PROFILE and not self.profile_name:
            raise ValueError("profile_name is required for PROFILE authentication")
        if self.auth_type is AuthenticationType.CREDENTIALS and not (
            self.access_key_id and self.secret_access_key
        ):
            raise ValueError(
                "access_key_id and secret_access_key are required for CREDENTIALS authentication"
            )

    def __repr__(self) -> str:  # never print a secret
        return (
            f"AuthConfig(auth_type={self.auth_type}, profile_name={self.profile_name!r}, "
            f"region={self.region!r})"
        )

    def session(self) -> Any:
        """A boto3 Session for these settings (imports boto3)."""
        import boto3

        if self.auth_type is AuthenticationType.PROFILE:
            return boto3.session.Session(profile_name=self.profile_name, region_name=self.region)
        if self.auth_type is AuthenticationType.CREDENTIALS:
            return boto3.session.Session(
                aws_access_key_id=self.access_key_id,
                aws_secret_access_key=self.secret_access_key,
                aws_session_token=self.session_token,
                region_name=self.region,
            )
        return boto3.session.Session(region_name=self.region)


class RetryStrategy(Enum):
    """The order of the targets: every region of a model first, or every model of a region."""

    REGION_FIRST = "region_first"
    MODEL_FIRST = "model_first"


class RegionOrder:
    """Per-call region order (0.9): FIXED keeps the given order; ROTATE starts each call one region
    further; SHUFFLE permutes per call. Every region stays in the list; only the order moves."""

    FIXED: Final[str] = "fixed"
    ROTATE: Final[str] = "rotate"
    SHUFFLE: Final[str] = "shuffle"
    ALL: Final[frozenset[str]] = frozenset({FIXED, ROTATE, SHUFFLE})


class AccessMethodPreferenceNames:
    """0.9's access-method names (the catalog calls them direct/regional_profile/global_profile)."""

    DIRECT: Final[str] = "direct"
    REGIONAL_CRIS: Final[str] = "regional_cris"
    GLOBAL_CRIS: Final[str] = "global_cris"
    ALL: Final[frozenset[str]] = frozenset({DIRECT, REGIONAL_CRIS, GLOBAL_CRIS})


@dataclass(frozen=True)
class RetryConfig:
    """How the manager retries (0.9's fields; see docs/api.md for how each maps onto failover).

    Args:
        max_retries: rounds over the whole target list while every failure is transient
            (throttling, 5xx, timeouts); 0 and 1 both mean one round.
        retry_delay, backoff_multiplier, max_retry_delay: the pause before round ``i`` (0-based)
            is ``min(max_retry_delay, retry_delay * backoff_multiplier ** i)``, of which a random
            half is jitter. A failed target is left for the next one at once, never after a pause.
        retry_strategy: REGION_FIRST or MODEL_FIRST target order.
        enable_feature_fallback: retry without a feature a model rejects (recorded in warnings).
        retryable_errors: more error codes (str) or exception classes to treat as transient.
        region_order, access_method_preference, global_cris_fraction: see RegionOrder,
            AccessMethodPreferenceNames; the fraction of calls sent to a global profile first.
    """

    max_retries: int = 3
    retry_delay: float = 1.0
    backoff_multiplier: float = 2.0
    max_retry_delay: float = 60.0
    retry_strategy: RetryStrategy = RetryStrategy.REGION_FIRST
    enable_feature_fallback: bool = True
    retryable_errors: tuple[Any, ...] = field(default_factory=tuple)
    region_order: str = RegionOrder.FIXED
    access_method_preference: str | None = None
    global_cris_fraction: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ValueError(f"RetryConfig.max_retries: expected an int, got {self.max_retries!r}")
        if self.max_retries < 0:
            raise ValueError("max_retries must be non-negative")
        _number("RetryConfig", "retry_delay", self.retry_delay)
        _number("RetryConfig", "backoff_multiplier", self.backoff_multiplier, positive=True)
        _number("RetryConfig", "max_retry_delay", self.max_retry_delay, positive=True)
        if not isinstance(self.retry_strategy, RetryStrategy):
            raise ValueError(
                f"RetryConfig.retry_strategy: expected a RetryStrategy, got {self.retry_strategy!r}"
            )
        if self.region_order not in RegionOrder.ALL:
            raise ValueError(
                f"region_order must be one of {sorted(RegionOrder.ALL)}, got {self.region_order!r}"
            )
        if (
            self.access_method_preference is not None
            and self.access_method_preference not in AccessMethodPreferenceNames.ALL
        ):
            raise ValueError(
                "access_method_preference must be None or one of "
                f"{sorted(AccessMethodPreferenceNames.ALL)}, got {self.access_method_preference!r}"
            )
        fraction = self.global_cris_fraction
        if fraction is not None and not (
            isinstance(fraction, (int, float)) and 0.0 <= fraction <= 1.0
        ):
            raise ValueError(f"global_cris_fraction must be between 0.0 and 1.0, got {fraction}")


@dataclass(frozen=True)
class Boto3Config:
    """Runtime client settings (0.9's defaults).

    ``read_timeout`` bounds each socket read; the whole call is bounded by the manager's
    ``timeout``. ``retries_max_attempts`` cannot apply: botocore makes one attempt, the
    manager's failover is the only retry layer (a value other than the default warns once).
    """

    read_timeout: int = 600
    connect_timeout: int = 60
    max_pool_connections: int = 10
    retries_max_attempts: int = 3

    def __post_init__(self) -> None:
        for name in ("read_timeout", "connect_timeout", "max_pool_connections"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, got {value}")
        value = self.retries_max_attempts
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"retries_max_attempts must be a non-negative integer, got {value}")

    def to_botocore_config(self) -> Any:
        """This config as a botocore ``Config`` (0.9), with botocore's own retries as given."""
        from botocore.config import Config

        return Config(
            read_timeout=self.read_timeout,
            connect_timeout=self.connect_timeout,
            max_pool_connections=self.max_pool_connections,
            retries={"max_attempts": self.retries_max_attempts},
        )


class CacheStrategy(Enum):
    """Where cache points go: CONSERVATIVE one after the bulk of a message, AGGRESSIVE after every
    large block, CUSTOM by ``CacheConfig.custom_rules``."""

    CONSERVATIVE = "conservative"
    AGGRESSIVE = "aggressive"
    CUSTOM = "custom"


class CacheErrorHandling(Enum):
    """0.9's settings for cache errors (a rejected cache point is a feature fallback here)."""

    GRACEFUL_DEGRADATION = "graceful"
    WARN_AND_CONTINUE = "warn"
    FAIL_FAST = "fail"


@dataclass(frozen=True)
class CacheConfig:
    """Prompt caching: off unless ``enabled``; cache points placed by ``strategy``.

    ``cache_point_threshold`` is the estimated token count (4 characters a token; an image 450,
    a document 1000, a video 2000) a message must reach before a cache point is worth placing.
    ``custom_rules`` (CUSTOM): ``cache_text_blocks_over`` (tokens) and ``cache_all_images``.
    ``max_cache_ttl`` (seconds): 3600 or more asks for the 1-hour TTL, else the default 5 min.
    """

    enabled: bool = False
    strategy: CacheStrategy = CacheStrategy.CONSERVATIVE
    error_handling: CacheErrorHandling = CacheErrorHandling.GRACEFUL_DEGRADATION
    auto_cache_system_messages: bool = True
    cache_point_threshold: int = 100
    max_cache_ttl: int | None = None
    cache_availability_check: bool = True
    blacklist_duration_minutes: int = 60
    log_cache_failures: bool = True
    custom_rules: dict[str, Any] = field(default_factory=dict)
    custom_unsupported_models: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.strategy, CacheStrategy):
            raise ValueError(
                f"CacheConfig.strategy: expected a CacheStrategy, got {self.strategy!r}"
            )
        if self.cache_point_threshold < 0:
            raise ValueError("cache_point_threshold must be non-negative")
        if self.blacklist_duration_minutes < 0:
            raise ValueError("blacklist_duration_minutes must be non-negative")
        if self.max_cache_ttl is not None and self.max_cache_ttl < 0:
            raise ValueError("max_cache_ttl must be non-negative")


class ModelSpecificFields:
    """The keys of ``ModelSpecificConfig.to_dict`` (0.9)."""

    ENABLE_EXTENDED_CONTEXT: Final[str] = "enable_extended_context"
    CUSTOM_FIELDS: Final[str] = "custom_fields"


@dataclass(frozen=True)
class ModelSpecificConfig:
    """``additionalModelRequestFields`` in a structured form.

    ``enable_extended_context`` asks Anthropic models that offer it for the 1M-token context
    (``anthropic_beta``); other targets are sent without it, said in the response's warnings.
    ``custom_fields`` are merged into ``additionalModelRequestFields`` as given.
    """

    enable_extended_context: bool = False
    custom_fields: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.enable_extended_context, bool):
            raise TypeError(
                "enable_extended_context must be a boolean, "
                f"got {type(self.enable_extended_context).__name__}"
            )
        if self.custom_fields is not None and not isinstance(self.custom_fields, dict):
            raise TypeError(
                "custom_fields must be a dictionary or None, "
                f"got {type(self.custom_fields).__name__}"
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            ModelSpecificFields.ENABLE_EXTENDED_CONTEXT: self.enable_extended_context,
            ModelSpecificFields.CUSTOM_FIELDS: self.custom_fields,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelSpecificConfig:
        if not isinstance(data, dict):
            raise ValueError(f"Data must be a dictionary, got {type(data).__name__}")
        return cls(
            enable_extended_context=data.get(ModelSpecificFields.ENABLE_EXTENDED_CONTEXT, False),
            custom_fields=data.get(ModelSpecificFields.CUSTOM_FIELDS),
        )


#: A function that judges a successful response (0.9).
ResponseValidationFunction = Callable[[BedrockResponse], ValidationResult]


@dataclass(frozen=True)
class ResponseValidationConfig:
    """Check each answer with ``response_validation_function``; an answer that fails is asked
    again of the same target up to ``response_validation_retries`` times (after
    ``response_validation_delay`` seconds), then of the next target."""

    response_validation_function: ResponseValidationFunction
    response_validation_retries: int = 3
    response_validation_delay: float = 0.0

    def __post_init__(self) -> None:
        if not callable(self.response_validation_function):
            raise ValueError("response_validation_function must be callable")
        if self.response_validation_retries < 0:
            raise ValueError("response_validation_retries must be non-negative")
        if self.response_validation_delay < 0:
            raise ValueError("response_validation_delay must be non-negative")


@dataclass
class CacheMetrics:
    """Prompt-cache figures over several responses (0.9); ``cache_savings_cost`` is the caller's
    to fill in (this package knows no prices)."""

    cache_hit_ratio: float = 0.0
    cache_savings_tokens: int = 0
    cache_savings_cost: float = 0.0
    latency_reduction_ms: int = 0
    total_cache_hits: int = 0
    total_cache_misses: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "cache_hit_ratio": self.cache_hit_ratio,
            "cache_savings_tokens": self.cache_savings_tokens,
            "cache_savings_cost": f"${self.cache_savings_cost:.2f}",
            "latency_reduction_ms": self.latency_reduction_ms,
            "total_cache_hits": self.total_cache_hits,
            "total_cache_misses": self.total_cache_misses,
        }
