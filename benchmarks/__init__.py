"""Benchmarks of the build and the search at archive scale, kept out of the product package.

``corpus`` writes a deterministic synthetic archive (the tests use it too); ``run`` measures builds,
the search index and the search page in headless Chromium, prints a table and keeps the run's figures
in ``results/`` (``benchmarks.results``). BENCHMARKS.md explains the method and judges the figures.
"""
