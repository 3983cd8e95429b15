"""A list whose ``in`` is a set lookup by identity.

Pelican writes each tag and author page after ``[a for a in self.dates if a in articles]``: a scan of
the tag's list for every article of the site. Pelican's ``Content`` has no ``__eq__``, so ``in`` on the
plain list already meant identity; this gives the same answer in constant time.
"""

from __future__ import annotations

from collections.abc import Iterable


class IdentityList(list):
    """A list of objects compared by identity only; ``in`` answers from a frozen set of ids.

    The set is made once, so the list must not change after it is made (Pelican's never do)."""

    def __init__(self, items: Iterable = ()) -> None:
        super().__init__(items)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self._ids
