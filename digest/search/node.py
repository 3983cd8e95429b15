"""Run the site's search scripts in node, as the browser runs them, for tests and the relevance set.

The index's files are written into a search folder with the lunr scripts the build copies; node
runs lunr.js and ``compact-index.js`` in one shared global (classic scripts), and the index loads
its chunks through ``load`` as the page does, so what node answers is what the page answers, with
only the chunks a query needs. ``body`` is the inside of an async function run in that global: it
has ``request`` (the JSON given), ``openIndex()`` (a fresh index on the meta and facets, with no
chunk loaded),
``loaded`` (every path ``load`` was asked for, in order) and ``docsOf(index)`` (every row and text,
loading every docs chunk); it returns what is printed as JSON.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from digest import REPO_ROOT
from digest.search.files import copy_vendor_scripts

NODE_MODULES = REPO_ROOT / "node_modules"
JS_DIR = REPO_ROOT / "theme" / "static" / "js"

_PRELUDE = r"""
const fs = require("fs"), vm = require("vm"), path = require("path");
const [modules, jsDir, folder, requestPath] = process.argv.slice(1);
const ctx = vm.createContext({ console });
ctx.window = ctx; // like a browser: classic scripts share one global object
const run = (file) => vm.runInContext(fs.readFileSync(file, "utf8"), ctx, { filename: file });
run(path.join(folder, "lunr.min.js"));
run(path.join(jsDir, "compact-index.js"));
ctx.loaded = [];
ctx.load = (paths) => {
  for (const p of paths) { ctx.loaded.push(p); run(path.join(folder, p)); }
  return Promise.resolve();
};
ctx.request = JSON.parse(fs.readFileSync(requestPath, "utf8"));
ctx.openIndex = () => {
  run(path.join(folder, "meta.js"));
  run(path.join(folder, "facets.js"));
  const meta = ctx.DIGEST_SEARCH_META;
  // As a fresh page: no chunk loaded yet (inside the context, where the chunk scripts set them).
  vm.runInContext(`window.${meta.terms.global} = {}; window.${meta.docs.global} = {};`, ctx);
  return ctx.digestCompactIndex(meta, ctx.load, ctx[meta.facets.global]);
};
ctx.docsOf = (index) => index.loadDocs(Array.from({ length: ctx.DIGEST_SEARCH_META.n }, (_, ref) => ref)).then((rows) =>
  Array.from(rows.keys()).sort((a, b) => a - b).map((ref) => rows.get(ref)));
"""


class NodeMissing(RuntimeError):
    """node or node_modules (npm ci) is not there."""


def node_available() -> bool:
    return shutil.which("node") is not None and (NODE_MODULES / "lunr").is_dir()


def run_in_node(files: dict[str, str], body: str, request: dict, timeout: int = 300) -> dict:
    """Write ``files`` (``SearchIndex.files()``) into a search folder and run ``body`` on them in node."""
    if not node_available():
        raise NodeMissing("node and node_modules (npm ci) are needed to run the search scripts")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "search"
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        copy_vendor_scripts(NODE_MODULES, folder)
        request_path = Path(tmp) / "request.json"
        request_path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
        script = (
            _PRELUDE
            + "vm.runInContext(`(async () => {\n"
            + body.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
            + "\n})()`, ctx).then((out) => process.stdout.write(JSON.stringify(out)), (e) => {"
            + " console.error(e && e.stack || e); process.exit(1); });"
        )
        done = subprocess.run(
            [shutil.which("node"), "-e", script, str(NODE_MODULES), str(JS_DIR), str(folder), str(request_path)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise RuntimeError(f"node failed: {lines[-1] if lines else done.returncode}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)
