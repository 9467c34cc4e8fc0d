"""What this process learned about targets: ``ParameterCompatibilityTracker`` (which
``additionalModelRequestFields`` a (model id, region) accepted or rejected) and
``AccessMethodTracker`` (which access method answered there), both 0.9's.

Process memory only: nothing is written to disk, nothing here calls AWS. Parameters are reduced
to a SHA-256 of their canonical JSON, so no prompt content or value is kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar, TypeVar

logger = logging.getLogger(__name__)

__all__ = ["AccessMethodPreference", "AccessMethodTracker", "ParameterCompatibilityTracker"]


_T = TypeVar("_T", bound="_ProcessWide")


class _ProcessWide:
    """One shared instance per class, created on first use (0.9's ``get_instance()``)."""

    _instances: ClassVar[dict[type, Any]] = {}
    _instances_lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def get_instance(cls: type[_T]) -> _T:
        """The process-wide instance, created on first use."""
        instance: _T | None = cls._instances.get(cls)
        if instance is None:
            with cls._instances_lock:
                instance = cls._instances.get(cls)
                if instance is None:
                    instance = cls._instances[cls] = cls()
        return instance

    @classmethod
    def _forget_instance(cls) -> None:
        with cls._instances_lock:
            cls._instances.pop(cls, None)


class ParameterCompatibilityTracker(_ProcessWide):
    """Records, per (model id, region, parameters), whether Bedrock accepted the parameters.

    ``get_instance()`` returns the process-wide tracker that every manager shares (as in 0.9);
    constructing one directly gives an independent tracker (useful in tests). Thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compatible: dict[tuple[str, str, str], bool] = {}

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


@dataclass(frozen=True, slots=True)
class AccessMethodPreference:
    """The access method that last worked (or was required) for one (model, region) (0.9)."""

    prefer_direct: bool = True
    prefer_regional_cris: bool = False
    prefer_global_cris: bool = False
    learned_from_error: bool = False
    last_updated: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def get_preferred_method(self) -> str:
        """0.9's name of the preferred method: ``direct``, ``regional_cris`` or ``global_cris``."""
        if self.prefer_direct:
            return "direct"
        if self.prefer_regional_cris:
            return "regional_cris"
        return "global_cris"


class AccessMethodTracker(_ProcessWide):
    """Which access method worked for each (model id, region) in this process (0.9).

    ``LLMManager`` records every answer (``record_success``) and every stale-catalog refusal that
    made it switch to an inference profile (``record_profile_requirement``); the manager's own
    routing does not read it back (the catalog and the manager's per-instance overrides decide),
    so this is an observation, shared by all managers of the process. Thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._preferences: dict[tuple[str, str], AccessMethodPreference] = {}
        self._methods: dict[str, int] = {}

    @classmethod
    def reset_for_testing(cls) -> None:
        """Forget the process-wide tracker (0.9's name)."""
        cls._forget_instance()

    def record_success(
        self, model_id: str, region: str, access_method: str, model_id_used: str | None = None
    ) -> None:
        """``access_method`` (0.9's name) answered for ``model_id`` in ``region``."""
        if access_method not in _METHOD_NAMES:
            raise ValueError(
                f"access_method: {access_method!r} is not one of {', '.join(_METHOD_NAMES)}"
            )
        preference = AccessMethodPreference(
            prefer_direct=access_method == "direct",
            prefer_regional_cris=access_method == "regional_cris",
            prefer_global_cris=access_method == "global_cris",
        )
        with self._lock:
            previous = self._preferences.get((model_id, region))
            if previous is not None and previous.learned_from_error and access_method != "direct":
                # A profile answering after a refusal keeps the fact that a profile is required.
                preference = AccessMethodPreference(
                    prefer_direct=False,
                    prefer_regional_cris=access_method == "regional_cris",
                    prefer_global_cris=access_method == "global_cris",
                    learned_from_error=True,
                )
            self._preferences[(model_id, region)] = preference
            self._methods[access_method] = self._methods.get(access_method, 0) + 1

    def record_profile_requirement(self, model_id: str, region: str) -> None:
        """Bedrock refused ``model_id`` on demand in ``region``: a profile is required there."""
        with self._lock:
            self._preferences[(model_id, region)] = AccessMethodPreference(
                prefer_direct=False, prefer_regional_cris=True, learned_from_error=True
            )

    def get_preference(self, model_id: str, region: str) -> AccessMethodPreference | None:
        with self._lock:
            return self._preferences.get((model_id, region))

    def requires_profile(self, model_id: str, region: str) -> bool:
        """True when Bedrock refused the bare id there in this process."""
        preference = self.get_preference(model_id, region)
        return preference is not None and preference.learned_from_error

    def get_statistics(self) -> dict[str, Any]:
        """0.9's counts per (model, region), plus ``access_method_distribution``: answers per
        access method (the key 0.9's documentation shows)."""
        with self._lock:
            preferences = list(self._preferences.values())
            methods = dict(self._methods)
        return {
            "total_tracked": len(preferences),
            "profile_required_count": sum(1 for p in preferences if p.learned_from_error),
            "direct_access_count": sum(1 for p in preferences if p.prefer_direct),
            "regional_cris_count": sum(1 for p in preferences if p.prefer_regional_cris),
            "global_cris_count": sum(1 for p in preferences if p.prefer_global_cris),
            "learned_from_error_count": sum(1 for p in preferences if p.learned_from_error),
            "access_method_distribution": methods,
        }


_METHOD_NAMES = ("direct", "regional_cris", "global_cris")
