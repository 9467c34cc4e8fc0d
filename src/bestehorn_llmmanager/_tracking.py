"""ParameterCompatibilityTracker: which ``additionalModelRequestFields`` a (model id, region)
accepted or rejected in this process, so a known rejection need not be sent again.

Process memory only: nothing is written to disk, nothing here calls AWS. The parameters are
reduced to a SHA-256 of their canonical JSON, so no prompt content or value is kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Mapping
from typing import Any, ClassVar

logger = logging.getLogger(__name__)

__all__ = ["ParameterCompatibilityTracker"]


class ParameterCompatibilityTracker:
    """Records, per (model id, region, parameters), whether Bedrock accepted the parameters.

    ``get_instance()`` returns the process-wide tracker that every manager shares (as in 0.9);
    constructing one directly gives an independent tracker (useful in tests). Thread-safe.
    """

    _instance: ClassVar[ParameterCompatibilityTracker | None] = None
    _instance_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compatible: dict[tuple[str, str, str], bool] = {}

    @classmethod
    def get_instance(cls) -> ParameterCompatibilityTracker:
        """The process-wide tracker, created on first use."""
        instance = cls._instance
        if instance is None:
            with cls._instance_lock:
                instance = cls._instance
                if instance is None:
                    instance = cls._instance = cls()
        return instance

    def record_success(self, model_id: str, region: str, parameters: Mapping[str, Any]) -> None:
        """The parameters worked for ``model_id`` in ``region``."""
        key = (model_id, region, self._hash_parameters(parameters))
        with self._lock:
            self._compatible[key] = True
        logger.debug("parameters %s... accepted by %s in %s", key[2][:8], model_id, region)

    def record_failure(
        self,
        model_id: str,
        region: str,
        parameters: Mapping[str, Any],
        error: BaseException | None = None,
    ) -> None:
        """Bedrock rejected the parameters for ``model_id`` in ``region`` (``error`` is logged
        by type only: its message may quote the request)."""
        key = (model_id, region, self._hash_parameters(parameters))
        with self._lock:
            self._compatible[key] = False
        logger.debug(
            "parameters %s... rejected by %s in %s (%s)",
            key[2][:8],
            model_id,
            region,
            type(error).__name__ if error is not None else "no error given",
        )

    def is_known_incompatible(
        self, model_id: str, region: str, parameters: Mapping[str, Any]
    ) -> bool:
        """True only when these parameters were rejected there; unknown combinations are not."""
        key = (model_id, region, self._hash_parameters(parameters))
        with self._lock:
            return self._compatible.get(key) is False

    def is_known_compatible(
        self, model_id: str, region: str, parameters: Mapping[str, Any]
    ) -> bool:
        """True only when these parameters were accepted there (an addition to 0.9)."""
        key = (model_id, region, self._hash_parameters(parameters))
        with self._lock:
            return self._compatible.get(key) is True

    def get_statistics(self) -> dict[str, Any]:
        """0.9's counts: total, compatible and incompatible combinations, models and regions."""
        with self._lock:
            items = list(self._compatible.items())
        return {
            "total_combinations": len(items),
            "compatible_count": sum(1 for _, ok in items if ok),
            "incompatible_count": sum(1 for _, ok in items if not ok),
            "models_tracked": sorted({key[0] for key, _ in items}),
            "regions_tracked": sorted({key[1] for key, _ in items}),
        }

    def clear(self) -> None:
        """Forget every record (an addition to 0.9)."""
        with self._lock:
            self._compatible.clear()

    @staticmethod
    def _hash_parameters(parameters: Mapping[str, Any]) -> str:
        """SHA-256 of the canonical JSON (sorted keys), so key order never matters.

        Raises:
            TypeError: a value JSON cannot represent (bytes, a set, ...), named in the message.
        """
        if not isinstance(parameters, Mapping):
            raise TypeError(
                f"parameters: expected the additionalModelRequestFields mapping, "
                f"got {type(parameters).__name__}"
            )
        try:
            canonical = json.dumps(parameters, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"parameters: cannot be tracked, they are not JSON values ({exc})"
            ) from exc
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
