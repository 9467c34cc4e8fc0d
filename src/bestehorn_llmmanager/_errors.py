"""The catalog's one error hierarchy; each error carries the facts a caller needs to act on it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path


class CatalogError(Exception):
    """Base class of every error this library raises on purpose."""


class CatalogFormatError(CatalogError, ValueError):
    """A catalog file (cache or bundle) is not valid: bad JSON, shape, checksum or schema."""

    def __init__(self, reason: str, *, path: str | Path | None = None) -> None:
        self.reason = reason
        self.path = Path(path) if path is not None else None
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}invalid catalog file: {reason}")


class ModelNotFoundError(CatalogError, LookupError):
    """No model matches the name; ``suggestions`` holds up to five close names."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        message = f"no Bedrock model matches {name!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            message += "; list the known models with `bedrock-catalog list`"
        super().__init__(message)


class AmbiguousModelError(ModelNotFoundError):
    """Several models match the name equally well; ``candidates`` lists their ids."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.candidates = tuple(candidates)
        CatalogError.__init__(
            self,
            f"{name!r} matches several Bedrock models: {', '.join(self.candidates)}; "
            "pass one of these model ids instead",
        )
        self.name = name
        self.suggestions = self.candidates


class CatalogUnavailableError(CatalogError):
    """Every step of the waterfall failed; ``steps`` maps each step to why it failed."""

    def __init__(self, steps: Mapping[str, str]) -> None:
        self.steps = dict(steps)
        lines = "; ".join(f"{step}: {why}" for step, why in self.steps.items())
        super().__init__(f"no Bedrock catalog could be loaded ({lines})")


class FetchError(CatalogError):
    """A live fetch failed as a whole (not one region)."""


class NoCredentialsError(FetchError):
    """No usable AWS credentials; raised once per fetch, never once per region."""

    def __init__(self, detail: str = "no AWS credentials found") -> None:
        self.detail = detail
        super().__init__(
            f"{detail}; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "or pass session=boto3.Session(profile_name=...)"
        )


class ConfigurationError(CatalogError, ValueError):
    """The caller's configuration cannot work (e.g. a model not callable from any given region)."""
