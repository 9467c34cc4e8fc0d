"""Where prompt-cache points go in a Converse request, by ``CacheConfig`` (0.9's placement rules).

Pure functions over message dicts: the caller's messages are never mutated (a new list comes back),
and a message that already holds a ``cachePoint`` is left as the caller wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._config import CacheConfig, CacheStrategy

__all__ = ["cache_point_block", "estimate_tokens", "place_cache_points"]

#: Estimated tokens per block kind (text: 4 characters a token), as 0.9 estimated them.
_BLOCK_TOKENS = {"image": 450, "document": 1000, "video": 2000}
#: The 1-hour TTL is asked for when ``max_cache_ttl`` reaches it.
_ONE_HOUR = 3600


def estimate_tokens(block: Mapping[str, Any]) -> int:
    text = block.get("text")
    if isinstance(text, str):
        return len(text) // 4
    for kind, tokens in _BLOCK_TOKENS.items():
        if kind in block:
            return tokens
    return 10


def cache_point_block(config: CacheConfig) -> dict[str, Any]:
    point: dict[str, Any] = {"type": "default"}
    if config.max_cache_ttl is not None and config.max_cache_ttl >= _ONE_HOUR:
        point["ttl"] = "1h"
    return {"cachePoint": point}


def place_cache_points(
    messages: Sequence[Mapping[str, Any]], config: CacheConfig
) -> list[dict[str, Any]]:
    """``messages`` with cache points placed (new message dicts where one was added)."""
    result: list[dict[str, Any]] = []
    for message in messages:
        content = message.get("content")
        if (
            not isinstance(content, list)
            or not content
            or any(isinstance(b, Mapping) and "cachePoint" in b for b in content)
        ):
            result.append(dict(message))
            continue
        if config.strategy is CacheStrategy.AGGRESSIVE:
            placed = _aggressive(content, config)
        elif config.strategy is CacheStrategy.CUSTOM and config.custom_rules:
            placed = _custom(content, config)
        else:
            placed = _conservative(content, config)
        result.append({**message, "content": placed})
    return result


def _conservative(blocks: list[Any], config: CacheConfig) -> list[Any]:
    """One point after the first prefix that holds the threshold and ~80% of the message."""
    threshold = config.cache_point_threshold
    tokens = [estimate_tokens(b) if isinstance(b, Mapping) else 0 for b in blocks]
    total = sum(tokens)
    seen = 0
    for index, count in enumerate(tokens):
        seen += count
        if seen < threshold:
            continue
        rest = total - seen
        if rest < threshold or (total > 0 and seen / total > 0.8):
            position = index + 1
            if 0 < position < len(blocks):
                return [*blocks[:position], cache_point_block(config), *blocks[position:]]
            return list(blocks)
    return list(blocks)


def _aggressive(blocks: list[Any], config: CacheConfig) -> list[Any]:
    """A point after every cacheable block once enough tokens gathered (never after the last)."""

    def cacheable(block: Mapping[str, Any]) -> bool:
        if "image" in block or "document" in block:
            return True
        return "text" in block and estimate_tokens(block) >= config.cache_point_threshold

    threshold = max(500, config.cache_point_threshold // 2)
    return _points_after(
        blocks, config, lambda block, gathered: gathered >= threshold and cacheable(block)
    )


def _custom(blocks: list[Any], config: CacheConfig) -> list[Any]:
    """CUSTOM rules: a point after each image (``cache_all_images``) or once
    ``cache_text_blocks_over`` tokens gathered."""
    rules = config.custom_rules
    threshold = rules.get("cache_text_blocks_over", config.cache_point_threshold)
    all_images = bool(rules.get("cache_all_images", False))
    return _points_after(
        blocks,
        config,
        lambda block, gathered: (all_images and "image" in block) or gathered >= threshold,
    )


def _points_after(
    blocks: list[Any], config: CacheConfig, wanted: Callable[[Mapping[str, Any], int], bool]
) -> list[Any]:
    """``blocks`` with a point after each block where ``wanted(block, tokens gathered since the
    last point)``; never after the last block, where it would cache nothing new."""
    result: list[Any] = []
    gathered = 0
    for index, block in enumerate(blocks):
        result.append(block)
        if not isinstance(block, Mapping):
            continue
        gathered += estimate_tokens(block)
        if index < len(blocks) - 1 and wanted(block, gathered):
            result.append(cache_point_block(config))
            gathered = 0
    return result
