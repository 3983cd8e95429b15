"""The repository's automation does what CONTRIBUTING.md promises: CI and pre-commit run the checks.

GitHub Actions and pre-commit's remote hooks cannot run on these machines (no network beyond
the package registries), so these tests read the two files and hold them to their contract;
the local pre-commit hooks' commands are run for real.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import yaml

from digest import REPO_ROOT
from digest.scaffold import PLACEHOLDER_MARKER

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "ci.yml"
PRE_COMMIT = REPO_ROOT / ".pre-commit-config.yaml"


def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps() -> list[dict]:
    (job,) = workflow()["jobs"].values()
    return job["steps"]


def test_ci_runs_on_pull_requests_and_pushes():
    assert {"pull_request", "push"} <= set(workflow()["on"])


def test_ci_sets_up_python_311_node_and_chromium_then_tests_and_builds():
    uses = [s.get("uses", "") for s in steps()]
    runs = "\n".join(s.get("run", "") for s in steps())
    assert uses[0].startswith("actions/checkout@")
    python = next(s for s in steps() if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    assert any(u.startswith("actions/setup-node@") for u in uses)
    assert "apt-get install" in runs and "chromium" in runs
    order = [line.strip() for line in runs.splitlines()]
    assert order.index("make test") < order.index(".venv/bin/invoke build")


def test_ci_keeps_the_built_site_as_an_artifact():
    uploads = [s for s in steps() if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert any(s["with"]["path"].rstrip("/") == "output" for s in uploads)


def test_ci_fails_on_an_unfilled_skeleton_using_the_scaffolds_own_marker():
    assert PLACEHOLDER_MARKER in WORKFLOW.read_text(encoding="utf-8")


def test_pre_commit_ruff_matches_the_pinned_ruff():
    pinned = re.search(r"^ruff==(\S+)$", (REPO_ROOT / "requirements-dev.txt").read_text(), re.M).group(1)
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    (ruff,) = [r for r in config["repos"] if r["repo"].endswith("/ruff-pre-commit")]
    assert ruff["rev"] == f"v{pinned}"
    assert {h["id"] for h in ruff["hooks"]} == {"ruff-check", "ruff-format"}


def test_pre_commit_local_hooks_run_the_content_and_docs_checks():
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    (local,) = [r for r in config["repos"] if r["repo"] == "local"]
    hooks = {h["id"]: h for h in local["hooks"]}
    assert re.search(r"content/", hooks["content-check"]["files"])
    for hook in hooks.values():
        argv = shlex.split(hook["entry"])
        assert (REPO_ROOT / argv[0]).exists(), f"{hook['id']}: {argv[0]} does not exist after make"
        result = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{hook['id']} fails on the repository: {result.stdout}{result.stderr}"
    assert "digest.check" in hooks["content-check"]["entry"]
    assert "digest.docs" in hooks["contributing-tables"]["entry"]
