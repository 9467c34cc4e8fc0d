"""0.9's import path for the LLMManager exceptions; the classes live in ``_errors``."""

from ..._errors import (
    APIFetchError,
    APIThrottleError,
    AuthenticationError,
    BundledDataError,
    CacheError,
    CatalogError,
    CatalogUnavailableError,
    ConfigurationError,
    ContentError,
    ExceptionDetailFields,
    LLMManagerError,
    ModelAccessError,
    ProfileRequirementError,
    RequestValidationError,
    RetryExhaustedError,
    StreamingError,
)

__all__ = [
    "APIFetchError",
    "APIThrottleError",
    "AuthenticationError",
    "BundledDataError",
    "CacheError",
    "CatalogError",
    "CatalogUnavailableError",
    "ConfigurationError",
    "ContentError",
    "ExceptionDetailFields",
    "LLMManagerError",
    "ModelAccessError",
    "ProfileRequirementError",
    "RequestValidationError",
    "RetryExhaustedError",
    "StreamingError",
]
