"""The contributors' live preview: ``python -m digest serve --watch`` (``invoke serve --watch``, ``make serve``).

- ``watch``: notices files added, changed or removed under the watched folders (``watchfiles``);
- ``server``: serves the built site, and pages rendered ahead of the next full build; adds the
  reload script to every HTML page it sends, so the script is never part of a build;
- ``page``: renders one changed article's page with the last full build's Pelican objects;
- ``session``: ties them together: every change is shown at once where it can be, then the whole
  site is rebuilt with Pelican's content cache and swapped in.
"""
