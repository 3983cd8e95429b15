"""The site's search index, built with lunr.py for lunr.js: plain Python, no Pelican.

``build_index(records) -> SearchIndex`` is the single, swappable entry point (see ``index``);
``pipeline`` makes Python's terms match lunr.js's for English and Russian; ``fold`` is the
folding key that lets a name's spellings and scripts meet; ``text`` turns rendered HTML into the
plain text that is indexed and shown in snippets; ``relevance`` measures what the search finds
(``python -m digest.search.relevance``).
"""

from digest.search.index import SearchIndex, SearchRecord, build_index
from digest.search.text import html_to_text

__all__ = ["SearchIndex", "SearchRecord", "build_index", "html_to_text"]
