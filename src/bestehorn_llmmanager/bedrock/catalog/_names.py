"""Name and id resolution: ids, profile ids, ARNs and API names to one model; never fuzzy.

A miss raises ModelNotFoundError with close suggestions; it never returns a different model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

from ..._errors import AmbiguousModelError, ModelNotFoundError
from ._types import AccessMap, ModelInfo

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_HAS_SPACE = re.compile(r"\s")
# A geography prefix of a profile id: "us", "apac", "us-gov" (GovCloud), or one not seen yet.
_PREFIX = re.compile(r"[a-z][a-z0-9-]*")
_MAX_SUGGESTIONS = 5


def normalize(text: str) -> str:
    """Case- and punctuation-insensitive key: "Claude-3 Haiku" -> "claude 3 haiku"."""
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


# ASCII text: every character but [0-9a-z] and the newline that separates texts becomes a space.
_KEEP = "0123456789abcdefghijklmnopqrstuvwxyz\n"
_SPACE_OUT = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in _KEEP})


def _normalize_all(texts: list[str]) -> list[str]:
    """``[normalize(t) for t in texts]`` in a few C-level passes over all of them at once."""
    joined = "\n".join(texts).casefold()
    if joined.count("\n") != len(texts) - 1 or not joined.isascii():
        # A text holds a newline itself, or non-ASCII letters: no shortcut.
        return [normalize(t) for t in texts]
    spaced = joined.translate(_SPACE_OUT)
    while "  " in spaced:  # runs of punctuation collapse to one space, as in normalize()
        spaced = spaced.replace("  ", " ")
    return spaced.replace(" \n", "\n").replace("\n ", "\n").strip(" ").split("\n")


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

    Only the name keys are built up front, in a few passes over the names; "provider name"
    spellings are matched at lookup by splitting off a provider key. The case-folded id map
    and the profile-id map are built on the first query that could be an id (no whitespace).
    """

    __slots__ = (
        "_by_id_folded",
        "_by_name",
        "_by_profile",
        "_ids",
        "_models",
        "_provider_keys",
        "_provider_of",
    )

    def __init__(
        self,
        models: Mapping[str, ModelInfo],
        labels: tuple[Sequence[str], Sequence[str], Sequence[str]] | None = None,
    ) -> None:
        """Index ``models`` (id -> ModelInfo); ``labels`` are their ids, names and providers.

        With labels, building the index touches no ModelInfo: a lazily decoded catalog builds
        only the models a lookup returns.
        """
        if labels is None:
            ordered = list(models.values())
            labels = (
                [m.model_id for m in ordered],
                [m.name for m in ordered],
                [m.provider for m in ordered],
            )
        ids, names, providers = labels
        self._models = models
        self._ids = ids
        by_name: dict[str, list[str]] = {}
        for key, model_id in zip(_normalize_all(list(names)), ids, strict=True):
            found = by_name.get(key)
            if found is None:
                by_name[key] = [model_id]
            else:
                found.append(model_id)
        self._by_name = by_name
        distinct = list(dict.fromkeys(providers))  # a few dozen providers
        keys = dict(zip(distinct, _normalize_all(distinct), strict=True))
        self._provider_of = dict(zip(ids, map(keys.__getitem__, providers), strict=True))
        self._provider_keys = [key for key in dict.fromkeys(keys.values()) if key]
        self._by_id_folded: dict[str, str] | None = None
        self._by_profile: dict[str, str] | None = None

    def _candidates(self, key: str) -> list[str]:
        """Ids of the models whose name, or provider and name, normalize to ``key``."""
        found = list(self._by_name.get(key, ()))
        provider_of = self._provider_of
        for provider in self._provider_keys:
            # normalize(f"{provider} {name}") is "<provider key> <name key>", stripped.
            if not key.startswith(provider):
                continue
            if len(key) == len(provider):
                rest = ""
            elif key[len(provider)] == " ":
                rest = key[len(provider) + 1 :]
            else:
                continue
            found.extend(
                model_id
                for model_id in self._by_name.get(rest, ())
                if provider_of[model_id] == provider
            )
        return found

    def _folded_ids(self) -> dict[str, str]:
        by_id = self._by_id_folded
        if by_id is None:
            # Concurrent first uses build equal maps; the last one stays.
            by_id = self._by_id_folded = {model_id.casefold(): model_id for model_id in self._ids}
        return by_id

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
        candidates = self._candidates(normalize(query))
        if not candidates:
            raise ModelNotFoundError(text, self.suggest(query))
        return _pick(query, [self._models[model_id] for model_id in candidates])

    def _lookup_id(self, query: str) -> ModelInfo | None:
        inner = model_id_from_arn(query)
        if inner is not None:
            query = inner
        folded = query.casefold()
        found = self._folded_ids().get(folded) or self._profiles().get(folded)
        if found is not None:
            return self._models[found]
        # A profile id with a geography prefix this catalog has not seen ("amer.<model id>"):
        # the remainder must be an exact model id, so this can never pick a different model.
        prefix, _, rest = folded.partition(".")
        if rest and "." in rest and _PREFIX.fullmatch(prefix):
            model_id = self._folded_ids().get(rest)
            return None if model_id is None else self._models[model_id]
        return None

    def suggest(self, text: str, limit: int = _MAX_SUGGESTIONS) -> list[str]:
        """Up to ``limit`` close model names or ids, best first."""
        key = normalize(text)
        display: dict[str, str] = {}
        names: list[str] = []
        for model in self._models.values():
            if model.is_provisioned_only:
                continue
            name = normalize(model.name)
            if name not in display:
                names.append(name)
            display.setdefault(name, model.name)
            display.setdefault(normalize(model.model_id), model.model_id)
        matches = difflib.get_close_matches(key, list(display), n=limit * 2, cutoff=0.6)
        # A part of a name ("Haiku") is close to no whole name: also offer the names that hold
        # every word of it, shortest first.
        words = set(key.split())
        if words:
            holding = [n for n in names if words <= set(n.split()) and n not in matches]
            matches += sorted(holding, key=lambda n: (len(n), n))
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
