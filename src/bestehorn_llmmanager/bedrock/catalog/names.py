"""Name and id resolution: ids, profile ids, ARNs and API names to one model; never fuzzy.

A miss raises ModelNotFoundError with close suggestions; it never returns a different model.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable

from .errors import AmbiguousModelError, ModelNotFoundError
from .types import AccessMap, ModelInfo

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_ALNUM_OR_NEWLINE = re.compile(r"[^0-9a-z\n]+")
_HAS_SPACE = re.compile(r"\s")
# A geography prefix of a profile id: "us", "apac", "us-gov" (GovCloud), or one not seen yet.
_PREFIX = re.compile(r"[a-z][a-z0-9-]*")
_MAX_SUGGESTIONS = 5


def normalize(text: str) -> str:
    """Case- and punctuation-insensitive key: "Claude-3 Haiku" -> "claude 3 haiku"."""
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def _normalize_all(texts: list[str]) -> list[str]:
    """``[normalize(t) for t in texts]`` in one regex pass over all of them."""
    joined = "\n".join(texts).casefold()
    if joined.count("\n") != len(texts) - 1:  # a text holds a newline itself: no shortcut
        return [normalize(t) for t in texts]
    return [part.strip() for part in _NON_ALNUM_OR_NEWLINE.sub(" ", joined).split("\n")]


def model_id_from_arn(text: str) -> str | None:
    """The model or profile id inside a Bedrock ARN, or None when ``text`` is not such an ARN."""
    if not text.startswith("arn:"):
        return None
    for marker in (":foundation-model/", ":inference-profile/"):
        if marker in text:
            return text.split(marker, 1)[1] or None
    return None


class NameIndex:
    """Maps every accepted spelling to the models it can mean; built once per catalog.

    The name keys are built up front; the profile-id map only on the first query that could
    be an id (no whitespace), since most lookups are by model id or API name.
    """

    __slots__ = ("_by_id", "_by_id_folded", "_by_key", "_by_profile", "_models")

    def __init__(self, models: Iterable[ModelInfo]) -> None:
        self._models = tuple(models)
        self._by_id = {m.model_id: m for m in self._models}
        self._by_id_folded = {m.model_id.casefold(): m for m in self._models}
        by_key: dict[str, list[ModelInfo]] = defaultdict(list)
        names = _normalize_all([m.name for m in self._models])
        providers = {m.provider: "" for m in self._models}  # a few dozen distinct providers
        providers = dict(zip(providers, _normalize_all(list(providers)), strict=True))
        for model, name in zip(self._models, names, strict=True):
            provider = providers[model.provider]
            by_key[name].append(model)
            # normalize(f"{provider} {name}"), without a second regex pass per model.
            full = f"{provider} {name}".strip()
            if full != name:
                by_key[full].append(model)
        self._by_key = dict(by_key)
        self._by_profile: dict[str, ModelInfo] | None = None

    def _profiles(self) -> dict[str, ModelInfo]:
        by_profile = self._by_profile
        if by_profile is None:
            by_profile = {}
            for model in self._models:
                for profile_id in _profile_ids(model):
                    by_profile.setdefault(profile_id.casefold(), model)
            # Concurrent first uses build equal maps; the last one stays.
            self._by_profile = by_profile
        return by_profile

    def resolve(self, text: str) -> ModelInfo:
        """Return the one model ``text`` names, or raise ModelNotFoundError/AmbiguousModelError."""
        if not isinstance(text, str):
            raise TypeError(f"model name must be a string, not {type(text).__name__}")
        exact = self._by_id.get(text)
        if exact is not None:
            return exact
        query = text.strip()
        # Ids, profile ids and ARNs never contain whitespace; API names usually do.
        if not _HAS_SPACE.search(query):
            found = self._lookup_id(query)
            if found is not None:
                return found
        candidates = self._by_key.get(normalize(query), [])
        if not candidates:
            raise ModelNotFoundError(text, self.suggest(query))
        return _pick(query, candidates)

    def _lookup_id(self, query: str) -> ModelInfo | None:
        inner = model_id_from_arn(query)
        if inner is not None:
            query = inner
        folded = query.casefold()
        found = self._by_id_folded.get(folded) or self._profiles().get(folded)
        if found is not None:
            return found
        # A profile id with a geography prefix this catalog has not seen ("amer.<model id>"):
        # the remainder must be an exact model id, so this can never pick a different model.
        prefix, _, rest = folded.partition(".")
        if rest and "." in rest and _PREFIX.fullmatch(prefix):
            return self._by_id_folded.get(rest)
        return None

    def suggest(self, text: str, limit: int = _MAX_SUGGESTIONS) -> list[str]:
        """Up to ``limit`` close model names or ids, best first."""
        key = normalize(text)
        display: dict[str, str] = {}
        for model in self._models:
            if model.is_provisioned_only:
                continue
            display.setdefault(normalize(model.name), model.name)
            display.setdefault(normalize(model.model_id), model.model_id)
        matches = difflib.get_close_matches(key, list(display), n=limit * 2, cutoff=0.6)
        seen: list[str] = []
        for match in matches:
            if display[match] not in seen:
                seen.append(display[match])
        return seen[:limit]


def _profile_ids(model: ModelInfo) -> Iterable[str]:
    if isinstance(model.regions, AccessMap):
        return model.regions.profile_ids()  # no need to build every ModelAccess
    ids: list[str] = []
    for access in model.regions.values():
        ids.extend(access.regional_profile_ids)
        if access.global_profile_id is not None:
            ids.append(access.global_profile_id)
    return ids


def _pick(query: str, candidates: list[ModelInfo]) -> ModelInfo:
    """Apply the tie rules: exact-case name, then ACTIVE over LEGACY, then base over variant."""
    if len(candidates) == 1:
        return candidates[0]
    pool = list({m.model_id: m for m in candidates}.values())
    for narrow in (
        lambda m: query in (m.name, f"{m.provider} {m.name}"),
        lambda m: not m.is_provisioned_only,
        lambda m: m.lifecycle_status.upper() == "ACTIVE",
        lambda m: bool(m.regions),
    ):
        kept = [m for m in pool if narrow(m)]
        if kept:
            pool = kept
        if len(pool) == 1:
            return pool[0]
    raise AmbiguousModelError(query, sorted(m.model_id for m in pool))
