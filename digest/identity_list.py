"""A list whose ``in`` is a set lookup by identity.

Pelican writes each tag and author page after ``[a for a in self.dates if a in articles]``: a scan of
the tag's list for every article of the site. Pelican's ``Content`` has no ``__eq__`` nor ``__hash__``,
so ``in`` on the plain list already meant identity, and a set of the articles themselves gives the same
answer in constant time (a set of their ids would cost an ``id()`` call on every look-up of the scan).
"""

from __future__ import annotations

from collections.abc import Iterable


class IdentityList(list):
    """A list of objects that compare and hash by identity (as Pelican's ``Content`` does); ``in``
    answers from a frozen set of them.

    The set is made once, so the list must not change after it is made (Pelican's never do)."""

    def __init__(self, items: Iterable = ()) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item) -> bool:
        return item in self._members
