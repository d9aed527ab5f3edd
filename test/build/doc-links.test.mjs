// The documents the code and the docs point to are in the repo: every relative link in a tracked
// Markdown file resolves to a tracked file, every `docs/…`, `datasets/…` or top-level `*.md` path
// named in source resolves too, and nothing points outside the clone (a file beside it on one
// developer's machine is not there for anyone else).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
const SOURCE = /\.(ts|tsx|mts|mjs|js|css|html|json|sh)$|^\.ci\/run$/;
const DATA = /^(datasets|examples)\//;

/** Where `target`, written in `file`, lands; null when it climbs out of the repo. */
function resolveIn(file, target) {
  const path = relative(root, normalize(join(root, dirname(file), target)));
  return path.startsWith("..") ? null : path;
}

/** `[text](target)` links of a Markdown text, without web links, mail links and in-page anchors. */
function markdownLinks(text) {
  const links = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1].split("#")[0];
    if (target && !/^[a-z]+:/i.test(target)) links.push(target);
  }
  return links;
}

/** A list of `file: what` for each reference in `files` that `check` rejects. */
function offenders(files, references, check) {
  const bad = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    for (const ref of references(text)) if (!check(file, ref)) bad.push(`${file}: ${ref}`);
  }
  return bad;
}

const markdown = tracked.filter((f) => f.endsWith(".md") && !DATA.test(f));
// This file's own samples (below) are meant to fail the checks.
const SELF = "test/build/doc-links.test.mjs";
const sources = tracked.filter(
  (f) => SOURCE.test(f) && !DATA.test(f) && f !== SELF && !f.endsWith("worker-configuration.d.ts"),
);

test("every relative link in the repo's Markdown files resolves to a file in the repo", () => {
  const bad = offenders(markdown, markdownLinks, (file, target) => {
    const path = resolveIn(file, target);
    return path !== null && existsSync(join(root, path));
  });
  assert.deepEqual(bad, []);
});

// Not a URL's path (`/api/evals/datasets/…`, `…/docs/specs/…`): the name starts the path.
const documentPaths = (text) =>
  [...text.matchAll(/(?<![\w/.-])((?:docs|datasets)\/[\w./-]*\.[a-z]+\d*|[A-Z][A-Z-]*\.md)\b/g)].map((m) => m[1]);

test("every document path the source names (docs/…, datasets/…, *.md at the top) exists", () => {
  const bad = offenders(sources, documentPaths, (_file, path) => existsSync(join(root, path)));
  assert.deepEqual(bad, []);
});

/** Paths into the folders beside the clone on the machine this repo was started on. */
const outsidePaths = (text) =>
  [...text.matchAll(/(?:\.\.\/)+shared\/datasets[\w./-]*|\/work\/[\w./-]+/g)].map((m) => m[0]);

test("no source or document points at a path outside the clone", () => {
  const bad = offenders([...sources, ...markdown], outsidePaths, () => false);
  assert.deepEqual(bad, []);
});

test("the checks catch what they are for", () => {
  assert.deepEqual(markdownLinks("[a](docs/x.md#part) [b](https://e.org) [c](#top) [d](mailto:x@y)"), ["docs/x.md"]);
  assert.equal(resolveIn("examples/evals/README.md", "../../../shared/x"), null);
  assert.equal(resolveIn("examples/evals/README.md", "../../datasets/README.md"), "datasets/README.md");
  assert.deepEqual(documentPaths("see docs/evals.md, GET /api/evals/datasets/eds_1 and CONTRIBUTING.md"), [
    "docs/evals.md",
    "CONTRIBUTING.md",
  ]);
  assert.deepEqual(outsidePaths("--safety ../shared/datasets/safety or /work/shared/x, not shared/api-types"), [
    "../shared/datasets/safety",
    "/work/shared/x",
  ]);
});
