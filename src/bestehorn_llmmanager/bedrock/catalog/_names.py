"""Name and id resolution: ids, profile ids, ARNs and spellings of API names to one model.

Forgiving but never wrong: a spelling resolves only when exactly one model fits every word and
every number of it; a vague spelling raises AmbiguousModelError naming the models that fit, and
a miss raises ModelNotFoundError with close suggestions, computed only when someone reads them.
It never returns a different model. The rules, in the order they are tried, are tabled in
docs/name-resolution.md. Pure: no I/O, no logging.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress

from ._model import AccessMap, ModelInfo

_NON_ALNUM = re.compile(r"[\W_]+")
_HAS_SPACE = re.compile(r"\s")
# A word: a version mark ("v2"), a run of digits, or a run of letters. "Claude3Haiku" is
# claude, 3, haiku; "Sonnet v2" keeps "v2", so "Sonnet 2" is not a part of it.
# (This and the next two stay pattern strings: ``re`` compiles and caches them on first use,
# so a warm start, which needs none of them, does not compile them.)
_WORD = r"v\d+|\d+|[^\W\d_]+"
# A geography prefix of a profile id: "us", "apac", "us-gov" (GovCloud), or one not seen yet.
_PREFIX = r"[a-z][a-z0-9-]*"
# 0.9 turned ids into names by dropping the provider, the part after the last colon and a
# trailing "-v1" / "-v1.0": "anthropic.claude-haiku-4-5-20251001-v1:0" reads
# "Claude Haiku 4 5 20251001".
_ID_VERSION = r"-v\d+(\.\d+)?$"
_MAX_SUGGESTIONS = 5

#: Longer text is no model name, id or ARN (the longest ARN is about 120 characters): it is
#: refused before any work, so hostile input costs neither time nor memory.
MAX_NAME_LENGTH = 256

#: Geography words 0.9 accepted in front of a name ("APAC Claude 3 Haiku"): the prefixes of
#: system-defined profile ids. Dropped only when the whole spelling matches nothing.
GEOGRAPHY_WORDS = frozenset({"us", "eu", "apac", "jp", "au", "in", "ca", "global"})

#: 0.9's documented aliases (its name-resolution guide and legacy name table): spelling -> model
#: id. One applies only when its model is in the catalog. Left out on purpose: "Mistral Large"
#: (three models carry that name now: it is ambiguous) and spellings holding a number that
#: neither the model's name nor its id has ("Mistral Large 2", "Titan Embeddings G1 - Text
#: v2", "Titan Image Generator G1 v2"): a number in a spelling must always be the model's own.
ALIASES: Mapping[str, str] = {
    "Claude Instant": "anthropic.claude-instant-v1",
    "Claude 2": "anthropic.claude-v2",
    "Claude 2.1": "anthropic.claude-v2:1",
    "Claude 3 Haiku": "anthropic.claude-3-haiku-20240307-v1:0",
    "Claude 3 Sonnet": "anthropic.claude-3-sonnet-20240229-v1:0",
    "Claude 3 Opus": "anthropic.claude-3-opus-20240229-v1:0",
    "Claude 3.5 Sonnet": "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "Claude 3.5 Sonnet v2": "anthropic.claude-3-5-sonnet-20241022-v2:0",
    "Claude 3.5 Haiku": "anthropic.claude-3-5-haiku-20241022-v1:0",
    "Titan Text G1 - Lite": "amazon.titan-text-lite-v1",
    "Titan Text G1 - Express": "amazon.titan-text-express-v1",
    "Titan Text G1 - Premier": "amazon.titan-text-premier-v1:0",
    "Titan Embeddings G1 - Text": "amazon.titan-embed-text-v1",
    "Titan Image Generator G1": "amazon.titan-image-generator-v1",
    "Titan Multimodal Embeddings G1": "amazon.titan-embed-image-v1",
    "Nova Micro": "amazon.nova-micro-v1:0",
    "Nova Lite": "amazon.nova-lite-v1:0",
    "Nova Pro": "amazon.nova-pro-v1:0",
    "Llama 2 13B Chat": "meta.llama2-13b-chat-v1",
    "Llama 2 70B Chat": "meta.llama2-70b-chat-v1",
    "Llama 3 8B Instruct": "meta.llama3-8b-instruct-v1:0",
    "Llama 3 70B Instruct": "meta.llama3-70b-instruct-v1:0",
    "Llama 3.1 8B Instruct": "meta.llama3-1-8b-instruct-v1:0",
    "Llama 3.1 70B Instruct": "meta.llama3-1-70b-instruct-v1:0",
    "Llama 3.1 405B Instruct": "meta.llama3-1-405b-instruct-v1:0",
    "Llama 3.2 1B Instruct": "meta.llama3-2-1b-instruct-v1:0",
    "Llama 3.2 3B Instruct": "meta.llama3-2-3b-instruct-v1:0",
    "Llama 3.2 11B Vision Instruct": "meta.llama3-2-11b-instruct-v1:0",
    "Llama 3.2 90B Vision Instruct": "meta.llama3-2-90b-instruct-v1:0",
    "Cohere Command": "cohere.command-text-v14",
    "Cohere Command Light": "cohere.command-light-text-v14",
    "Command R": "cohere.command-r-v1:0",
    "Command R+": "cohere.command-r-plus-v1:0",
    "Cohere Command R": "cohere.command-r-v1:0",
    "Cohere Command R+": "cohere.command-r-plus-v1:0",
    "Cohere Embed English": "cohere.embed-english-v3",
    "Cohere Embed Multilingual": "cohere.embed-multilingual-v3",
    "AI21 Jamba Instruct": "ai21.jamba-instruct-v1:0",
    "AI21 Jamba 1.5 Mini": "ai21.jamba-1-5-mini-v1:0",
    "AI21 Jamba 1.5 Large": "ai21.jamba-1-5-large-v1:0",
    "AI21 Jurassic-2 Mid": "ai21.j2-mid-v1",
    "AI21 Jurassic-2 Ultra": "ai21.j2-ultra-v1",
    "Mistral 7B Instruct": "mistral.mistral-7b-instruct-v0:2",
    "Mistral 8x7B Instruct": "mistral.mixtral-8x7b-instruct-v0:1",
    "Mixtral 8x7B Instruct": "mistral.mixtral-8x7b-instruct-v0:1",
    "Mistral Small": "mistral.mistral-small-2402-v1:0",
    "Stable Diffusion XL": "stability.stable-diffusion-xl-v1",
    "Stable Image Core": "stability.stable-image-core-v1:0",
    "Stable Image Ultra": "stability.stable-image-ultra-v1:0",
}


def fold(text: str) -> str:
    """Case-folded NFKC text with every Unicode decimal digit as its ASCII digit.

    Full-width and Arabic-Indic digits (U+FF15, U+0665) become "5": a look-alike digit is read
    as the digit it is, never dropped (dropping a full-width 5 turned "Claude Sonnet 4.5" into
    Claude Sonnet 4).
    """
    if text.isascii():
        return text.casefold()
    import unicodedata  # only for non-ASCII text: off the warm path

    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        return folded
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in folded)


def normalize(text: str) -> str:
    """Case- and punctuation-insensitive key: "Claude-3 Haiku" -> "claude 3 haiku"."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


def words(text: str) -> list[str]:
    """The words of a spelling: runs of letters and runs of digits, folded ("Claude3Haiku")."""
    return re.findall(_WORD, fold(text))


def id_words(model_id: str) -> str:
    """The name 0.9 generated from a model id, in lower case: "claude haiku 4 5 20251001"."""
    part = model_id.split(".", 1)[1] if "." in model_id else model_id
    if ":" in part:
        part = part.rsplit(":", 1)[0]
    return " ".join(words(re.sub(_ID_VERSION, "", part)))


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


def _key(counted: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(counted))


class _Words:
    """The word index behind the forgiving rules; built on the first spelling that is no name."""

    __slots__ = ("by_words", "labels", "postings")

    def __init__(self, ids: Sequence[str], names: Sequence[str], providers: Sequence[str]) -> None:
        # Sorted words of a whole label -> ids: name, provider + name, 0.9's id name, provider +
        # 0.9's id name. Equal word multisets are the same name in another word order.
        self.by_words: dict[tuple[str, ...], list[str]] = {}
        # id -> the two labels a spelling may be a part of (provider words are optional).
        self.labels: dict[str, tuple[Counter[str], ...]] = {}
        # word -> ids whose labels hold it: a spelling's candidates are one set intersection.
        self.postings: dict[str, set[str]] = {}
        provider_words: dict[str, list[str]] = {}
        for model_id, name, provider in zip(ids, names, providers, strict=True):
            by_provider = provider_words.get(provider)
            if by_provider is None:
                by_provider = provider_words[provider] = words(provider)
            named = words(name)
            generated = id_words(model_id).split()
            # 0.9 named profiles by the id's own provider word ("Zai Glm 4.7" for zai.glm-4.7,
            # whose providerName is "Z.AI"): it may stand for the provider there.
            prefix = words(model_id.split(".", 1)[0]) if "." in model_id else []
            labels = (named, named + by_provider, generated, generated + by_provider)
            for label in (*labels, generated + prefix):
                found = self.by_words.setdefault(_key(label), [])
                if model_id not in found:
                    found.append(model_id)
            self.labels[model_id] = (
                Counter(named + by_provider),
                Counter(generated + by_provider),
                Counter(generated + prefix),
            )
            for word in {*named, *generated, *by_provider, *prefix}:
                self.postings.setdefault(word, set()).add(model_id)

    def exact(self, query: list[str]) -> list[str]:
        return list(self.by_words.get(_key(query), ()))

    def holding(self, query: list[str]) -> list[str]:
        """Ids of the models with a label holding every word of ``query``, as often as it has it."""
        postings = self.postings
        sets = []
        for word in set(query):
            found = postings.get(word)
            if found is None:  # a word no model has: the usual miss ends here, in microseconds
                return []
            sets.append(found)
        sets.sort(key=len)
        candidates = set.intersection(*sets) if sets else set()
        wanted = Counter(query)
        return sorted(
            model_id
            for model_id in candidates
            if any(wanted <= label for label in self.labels[model_id])
        )


class NameIndex:
    """Maps every accepted spelling to the models it can mean; built once per catalog.

    Only the name keys are built up front, in a few passes over the names; "provider name"
    spellings are matched at lookup by splitting off a provider key. The case-folded id map,
    the profile-id map and the word index are built on the first query that needs them.
    """

    __slots__ = (
        "_aliases",
        "_by_id_folded",
        "_by_name",
        "_by_profile",
        "_ids",
        "_modalities",
        "_models",
        "_names",
        "_provider_keys",
        "_provider_of",
        "_providers",
        "_words",
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
        self._names = names
        self._providers = providers
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
        self._words: _Words | None = None
        self._aliases: dict[str, str] | None = None
        self._modalities: dict[str, str] | None = None

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

    def _word_index(self) -> _Words:
        index = self._words
        if index is None:
            # Concurrent first uses build equal indexes; the last one stays.
            index = self._words = _Words(self._ids, self._names, self._providers)
        return index

    def _alias_map(self) -> dict[str, str]:
        aliases = self._aliases
        if aliases is None:
            models = self._models
            aliases = self._aliases = {
                normalize(spelling): model_id
                for spelling, model_id in ALIASES.items()
                if model_id in models
            }
        return aliases

    def resolve(self, text: str) -> ModelInfo:
        """Return the one model ``text`` names, or raise ModelNotFoundError/AmbiguousModelError."""
        if not isinstance(text, str):
            raise TypeError(f"model name must be a string, not {type(text).__name__}")
        exact = self._models.get(text)
        if exact is not None:
            return exact
        if len(text) > MAX_NAME_LENGTH:
            # Named by its start only: a 32 KB "name" must not end up in every log line.
            from ..._errors import ModelNotFoundError  # misses only: off the warm path

            raise ModelNotFoundError(f"{text[:40]}... ({len(text)} characters)")
        query = text.strip()
        # Ids, profile ids and ARNs never contain whitespace; API names usually do.
        if not _HAS_SPACE.search(query):
            found = self._lookup_id(query)
            if found is not None:
                return found
        key = normalize(query)
        candidates = self._candidates(key)
        if candidates:
            return _pick(query, [self._models[model_id] for model_id in candidates])
        alias = self._alias_map().get(key)
        if alias is not None:
            return self._models[alias]
        spelled = words(query)
        found = self._by_words(query, spelled)
        if found is None and len(spelled) > 1 and spelled[0] in GEOGRAPHY_WORDS:
            found = self._by_words(query, spelled[1:])  # "APAC Claude 3 Haiku"
        if found is None:
            from ..._errors import ModelNotFoundError

            raise ModelNotFoundError(text, lambda: self.suggest(query))
        return found

    def _by_words(self, query: str, spelled: list[str]) -> ModelInfo | None:
        """The forgiving rules: another word order, then a unique part of a name (or None)."""
        if not spelled:
            return None
        index = self._word_index()
        same = index.exact(spelled)
        if same:
            return _pick(query, [self._models[model_id] for model_id in same])
        holding = index.holding(spelled)
        if not holding:
            return None
        models = [self._models[model_id] for model_id in holding]
        named = {normalize(m.name) for m in models}
        if len(named) == 1:  # one name: its provisioned variants and twins follow the tie rules
            return _pick(query, models)
        on_demand = [m for m in models if not m.is_provisioned_only]
        if len(on_demand) == 1:  # the others are provisioned-only variants of it
            return on_demand[0]
        from ..._errors import AmbiguousModelError

        raise AmbiguousModelError(query, sorted(m.model_id for m in on_demand or models))

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
        if rest and "." in rest and re.fullmatch(_PREFIX, prefix):
            model_id = self._folded_ids().get(rest)
            return None if model_id is None else self._models[model_id]
        return None

    def check_filters(
        self,
        provider: object = None,
        input_modality: object = None,
        output_modality: object = None,
        **flags: object,
    ) -> None:
        """Refuse a query filter of the wrong type, or a provider or modality no model has.

        ValueError names the argument and the closest known values: a typo must not read as
        "no such model" (an empty list). Case is ignored, as the queries ignore it.
        """
        for argument, value in flags.items():
            if not isinstance(value, bool):
                raise ValueError(f"{argument}: expected True or False, got {value!r}")
        for argument, value, known in (
            ("provider", provider, self._known_providers),
            ("input_modality", input_modality, self._known_modalities),
            ("output_modality", output_modality, self._known_modalities),
        ):
            if value is None:
                continue
            if not isinstance(value, str):
                raise ValueError(
                    f"{argument}: expected a string or None, got {type(value).__name__} {value!r}"
                )
            names = known()
            if value.casefold() not in names:
                import difflib

                close = difflib.get_close_matches(value.casefold(), list(names), n=3, cutoff=0.5)
                hint = (
                    "did you mean " + ", ".join(repr(names[c]) for c in close) + "?"
                    if close
                    else "known: " + ", ".join(sorted(names.values(), key=str.casefold))
                )
                raise ValueError(f"{argument}: no model in this catalog has {value!r}; {hint}")

    def _known_providers(self) -> dict[str, str]:
        return {p.casefold(): p for p in dict.fromkeys(self._providers)}

    def _known_modalities(self) -> dict[str, str]:
        found = self._modalities
        if found is None:
            # Concurrent first uses build equal maps; the last one stays.
            found = self._modalities = {
                x.casefold(): x.upper()
                for m in self._models.values()
                for x in (*m.input_modalities, *m.output_modalities)
            }
        return found

    def suggest(self, text: str, limit: int = _MAX_SUGGESTIONS) -> list[str]:
        """Up to ``limit`` close model names or ids, best first."""
        if len(text) > MAX_NAME_LENGTH:
            return []
        import difflib  # only when someone reads the suggestions of a miss

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
        parts = set(key.split())
        if parts:
            holding = [n for n in names if parts <= set(n.split()) and n not in matches]
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
    from ..._errors import AmbiguousModelError

    raise AmbiguousModelError(query, sorted(m.model_id for m in pool))


class NameMemo(dict[str, ModelInfo]):
    """Resolved spelling -> model, holding at most ``limit`` spellings (oldest out first).

    Lookups stay a plain dict lookup (the hot path of every LLMManager call); only inserting
    past the limit evicts, so 10,000 distinct spellings cost no more memory than ``limit``.
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int = 1024) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: str, value: ModelInfo) -> None:
        if len(self) >= self.limit and key not in self:
            # A concurrent writer may get there first: then there is nothing left to evict.
            with suppress(KeyError, StopIteration, RuntimeError):
                del self[next(iter(self))]
        super().__setitem__(key, value)
