"""Name and id resolution: ids, profile ids, ARNs and API names to one model; never fuzzy.

A miss raises ModelNotFoundError with close suggestions; it never returns a different model.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

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

    __slots__ = ("_by_id_folded", "_by_key", "_by_profile", "_models")

    def __init__(
        self,
        models: Mapping[str, ModelInfo],
        labels: Sequence[tuple[str, str, str]] | None = None,
    ) -> None:
        """Index ``models`` (id -> ModelInfo); ``labels`` are their (id, name, provider).

        With labels, building the index touches no ModelInfo: a lazily decoded catalog builds
        only the models a lookup returns.
        """
        if labels is None:
            labels = [(m.model_id, m.name, m.provider) for m in models.values()]
        self._models = models
        self._by_id_folded = {model_id.casefold(): model_id for model_id, _, _ in labels}
        by_key: dict[str, list[str]] = defaultdict(list)
        names = _normalize_all([name for _, name, _ in labels])
        providers = {provider: "" for _, _, provider in labels}  # a few dozen providers
        providers = dict(zip(providers, _normalize_all(list(providers)), strict=True))
        for (model_id, _, provider), name in zip(labels, names, strict=True):
            key = providers[provider]
            by_key[name].append(model_id)
            # normalize(f"{provider} {name}"), without a second regex pass per model.
            full = f"{key} {name}".strip()
            if full != name:
                by_key[full].append(model_id)
        self._by_key = dict(by_key)
        self._by_profile: dict[str, str] | None = None

    def _profiles(self) -> dict[str, str]:
        by_profile = self._by_profile
        if by_profile is None:
            by_profile = {}
            for model in self._models.values():
                for profile_id in _profile_ids(model):
                    by_profile.setdefault(profile_id.casefold(), model.model_id)
            # Concurrent first uses build equal maps; the last one stays.
            self._by_profile = by_profile
        return by_profile

    def resolve(self, text: str) -> ModelInfo:
        """Return the one model ``text`` names, or raise ModelNotFoundError/AmbiguousModelError."""
        if not isinstance(text, str):
            raise TypeError(f"model name must be a string, not {type(text).__name__}")
        exact = self._models.get(text)
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
        return _pick(query, [self._models[model_id] for model_id in candidates])

    def _lookup_id(self, query: str) -> ModelInfo | None:
        inner = model_id_from_arn(query)
        if inner is not None:
            query = inner
        folded = query.casefold()
        found = self._by_id_folded.get(folded) or self._profiles().get(folded)
        if found is not None:
            return self._models[found]
        # A profile id with a geography prefix this catalog has not seen ("amer.<model id>"):
        # the remainder must be an exact model id, so this can never pick a different model.
        prefix, _, rest = folded.partition(".")
        if rest and "." in rest and _PREFIX.fullmatch(prefix):
            model_id = self._by_id_folded.get(rest)
            return None if model_id is None else self._models[model_id]
        return None

    def suggest(self, text: str, limit: int = _MAX_SUGGESTIONS) -> list[str]:
        """Up to ``limit`` close model names or ids, best first."""
        key = normalize(text)
        display: dict[str, str] = {}
        for model in self._models.values():
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
