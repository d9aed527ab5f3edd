// The whole codebase typechecks under strict settings: the Worker, Durable Objects and tests
// (`-p .`), and the dashboard, its build config and the CLI, each on its own globals. API types
// live in shared/, so no project needs another one's declarations built first.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

const projects = [
  ["tsc", "--noEmit", "-p", "."],
  ["tsc", "--noEmit", "-p", "web"],
  ["tsc", "--noEmit", "-p", "web/tsconfig.node.json"],
  ["tsc", "--noEmit", "-p", "cli"],
];

for (const args of projects) {
  test(`${args.join(" ")} is clean`, () => {
    const r = spawnSync("npx", args, { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
}
