"""API keys that cannot leak by accident: masked in repr, str and f-strings."""

from __future__ import annotations


def mask_key(key: str) -> str:
    """The form in which a key may be shown: `sk-…a1b2`."""
    key = key.strip()
    if len(key) <= 8:
        return "…" * bool(key)
    prefix = key[:3] if key.startswith("sk-") else ""
    return f"{prefix}…{key[-4:]}"


class ApiKey:
    """An API key. Only `reveal()` gives the value; everything else shows it masked."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value.strip()

    def reveal(self) -> str:
        return self._value

    @property
    def masked(self) -> str:
        return mask_key(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"ApiKey({self.masked!r})"

    __str__ = __repr__
