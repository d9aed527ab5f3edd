// The whole codebase typechecks under strict settings: the Worker, Durable Objects and tests
// (`-p .`), and the dashboard, its build config and the CLI, which see the Worker's types
// through project references (`tsc -b` builds those declarations first, also on a fresh clone).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

const projects = [
  ["tsc", "--noEmit", "-p", "."],
  ["tsc", "-b", "web", "web/tsconfig.node.json", "cli"],
];

for (const args of projects) {
  test(`${args.join(" ")} is clean`, () => {
    const r = spawnSync("npx", args, { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
}
