"""The Central Asia Press Freedom Digest: the domain, in plain Python.

Nothing in this package imports Pelican (``digest.build`` imports it lazily, because driving
Pelican is its one job). The vocabularies, the article schema and its validation, the importer
and the classifier live here so that they can be used and tested without a site build.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
