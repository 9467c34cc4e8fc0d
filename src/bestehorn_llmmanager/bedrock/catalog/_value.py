"""The base of the catalog's hand-written frozen value classes; imports nothing.

Frozen dataclasses are the house style. The values a fresh process builds when it answers from a
cache file (``ModelInfo``, ``ModelAccess``, ``CatalogMetadata``, ...) are written by hand on this
base instead: importing ``dataclasses`` pulls in ``inspect``, ``ast``, ``dis`` and ``tokenize``
(about 5 ms, more than decoding the whole cache file), and each ``@dataclass`` runs ``exec`` at
import. A subclass lists its fields in ``__slots__`` and ``_fields`` (constructor order) and sets
them in ``__init__`` with ``object.__setattr__``, exactly as a frozen dataclass does.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _V = TypeVar("_V", bound="Value")


class Value:
    """Immutable value: equality, hash and repr over ``_fields``; ``replace`` makes a changed copy.

    Assigning or deleting an attribute raises ``AttributeError`` (as a frozen dataclass does).
    """

    __slots__ = ()

    #: The fields, in constructor order (positional or keyword).
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        """The constructor arguments, in ``_fields`` order."""
        return tuple([getattr(self, name) for name in self._fields])

    def _key(self) -> tuple[Any, ...]:
        """What equality, hash and repr compare: the values (a prefix of them, if overridden)."""
        return self._values()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot assign to {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields, self._key(), strict=False)
        )
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._values())

    def replace(self: _V, **changes: Any) -> _V:
        """A copy with ``changes`` applied (``dataclasses.replace`` for these classes)."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values = dict(zip(self._fields, self._values(), strict=True))
        values.update(changes)
        return self.__class__(**values)

    __replace__ = replace  # copy.replace() on Python 3.13+
