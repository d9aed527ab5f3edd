// The arrows between shared/ and its users run one way: shared/ (API types, client, swarm
// protocol) imports nothing from the Worker or the Durable Objects, and the dashboard and the
// CLI (and the Pages Functions in front of it) reach the API's types only through shared/ (as `@hive/shared/*`), never from worker/.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

function sources(dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(path);
  }
  return out;
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function specifiers(file) {
  const text = readFileSync(join(root, file), "utf8");
  const found = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)) found.push(m[1]);
  return found;
}

function offenders(dirs, forbidden) {
  const bad = [];
  for (const dir of dirs) {
    for (const file of sources(dir)) {
      for (const spec of specifiers(file)) if (forbidden(file, spec)) bad.push(`${file}: ${spec}`);
    }
  }
  return bad;
}

const reaches = (file, spec, folders) => {
  if (!spec.startsWith(".")) return false;
  const target = relative(root, join(root, file, "..", spec))
    .split("\\")
    .join("/");
  return folders.some((f) => target === f || target.startsWith(`${f}/`));
};

test("shared/ imports nothing from worker/ or durable-objects/", () => {
  const bad = offenders(["shared"], (file, spec) => reaches(file, spec, ["worker", "durable-objects"]));
  assert.deepEqual(bad, []);
});

test("web/src, web/functions and cli/src import the API only through shared/, as @hive/shared/*", () => {
  const bad = offenders(["web/src", "web/functions", "cli/src"], (file, spec) =>
    reaches(file, spec, ["worker", "durable-objects", "shared"]),
  );
  assert.deepEqual(bad, []);
});
