"""Benchmarks of the build and the search at archive scale (issue #9).

``corpus`` writes a deterministic synthetic archive; ``run`` measures builds, the search index
and the search page in headless Chromium, and appends the figures to ``BENCHMARKS.md``.
"""
