"""0.9's import path of the parallel exceptions; the real classes are in ``_errors``.

``RequestValidationError`` here is 0.9's parallel one (``ParallelRequestValidationError``): a
``ParallelProcessingError`` that is also the package's ``RequestValidationError``.
"""

from ..._errors import (
    ParallelConfigurationError,
    ParallelExecutionError,
    ParallelProcessingError,
    RegionDistributionError,
    RequestIdCollisionError,
    RequestTimeoutError,
)
from ..._errors import ParallelRequestValidationError as RequestValidationError

__all__ = [
    "ParallelConfigurationError",
    "ParallelExecutionError",
    "ParallelProcessingError",
    "RegionDistributionError",
    "RequestIdCollisionError",
    "RequestTimeoutError",
    "RequestValidationError",
]
