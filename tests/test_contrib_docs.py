"""CONTRIBUTING.md's generated tables match the vocabularies and the schema, and drift is caught."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

from digest import REPO_ROOT
from digest.docs import CONTRIBUTING, SECTION_RE, render, sections, stale_sections
from digest.schema import ARTICLE_KEYS, REQUIRED_KEYS
from digest.vocab import Topic, load_vocabulary, vocabulary


def section(name: str) -> str:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    for match in SECTION_RE.finditer(text):
        if match.group("name") == name:
            return match.group("body")
    raise AssertionError(f"CONTRIBUTING.md has no generated section {name!r}")


def table_rows(markdown: str) -> list[list[str]]:
    rows = [line for line in markdown.splitlines() if line.startswith("|")][2:]  # skip header and rule
    return [[cell.strip().strip("`") for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_contributing_is_up_to_date_with_the_vocabularies():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    assert stale_sections(text, sections()) == [], "run: .venv/bin/python -m digest.docs --write"


def test_country_table_lists_every_country_of_the_vocabulary_file():
    vocab = load_vocabulary()  # read afresh from vocabularies/countries.yaml, not the cached copy
    rows = table_rows(section("countries"))
    assert [(r[0], r[1]) for r in rows] == [(c.code, c.name) for c in vocab.countries.values()]


def test_topic_table_lists_every_topic_with_its_label_and_description():
    vocab = load_vocabulary()
    rows = table_rows(section("topics"))
    assert [tuple(r) for r in rows] == [(t.slug, t.label, t.description) for t in vocab.topics.values()]


def test_front_matter_reference_has_every_schema_key_and_says_which_are_required():
    rows = table_rows(section("front-matter"))
    assert [r[0] for r in rows] == list(ARTICLE_KEYS)
    assert {r[0] for r in rows if r[1] == "yes"} == set(REQUIRED_KEYS)


def test_a_new_topic_makes_the_check_fail_and_write_fixes_it():
    vocab = vocabulary()
    extra = Topic(slug="press-accreditation", label="Press accreditation", description="Who may report.")
    changed = dataclasses.replace(vocab, topics={**vocab.topics, extra.slug: extra})
    text = CONTRIBUTING.read_text(encoding="utf-8")
    assert stale_sections(text, sections(changed)) == ["topics"]
    updated = render(text, sections(changed))
    assert "| `press-accreditation` | Press accreditation | Who may report. |" in updated
    assert stale_sections(updated, sections(changed)) == []
    assert updated.replace("| `press-accreditation` | Press accreditation | Who may report. |\n", "") == text


def test_the_docs_command_fails_on_a_drifted_file_and_passes_on_the_real_one(tmp_path):
    drifted = tmp_path / "CONTRIBUTING.md"
    drifted.write_text(
        CONTRIBUTING.read_text(encoding="utf-8").replace("| `KZ` | Kazakhstan |", "| `KZ` | Kazakstan |")
    )
    command = [sys.executable, "-m", "digest.docs"]
    bad = subprocess.run([*command, str(drifted)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "countries table differs from vocabularies/countries.yaml" in bad.stderr
    good = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr
    fixed = subprocess.run([*command, "--write", str(drifted)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert fixed.returncode == 0
    assert drifted.read_text(encoding="utf-8") == CONTRIBUTING.read_text(encoding="utf-8")


def test_contributing_documents_every_invoke_new_option_and_the_editorial_rules():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    from digest.scaffold import build_parser

    options = [a.option_strings[0] for a in build_parser()._actions if a.option_strings and a.dest != "help"]
    missing = [o for o in options if f"`{o}`" not in text]
    assert missing == []
    for rule in ("Cite the source", "Never invent a date", "One topic", "primary first", "date_precision"):
        assert rule in text
    for command in ("invoke check", "make serve", "make test", "invoke new"):
        assert command in text


DOCS = ("README.md", "CONTRIBUTING.md", "BENCHMARKS.md", "docs/architecture.md")
REPO_PATH = re.compile(r"`((?:benchmarks|content|digest|docs|plugins|tests|theme|vocabularies)/[\w./-]*)`")


def test_links_and_repository_paths_in_the_docs_exist():
    missing = []
    for name in DOCS:
        doc = REPO_ROOT / name
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if not re.match(r"[a-z]+:|#", target) and not (doc.parent / target.split("#")[0]).exists():
                missing.append(f"{name}: link to {target}")
        missing += [f"{name}: {path}" for path in REPO_PATH.findall(text) if not (REPO_ROOT / path).exists()]
    assert missing == []
