// The whole codebase typechecks under strict settings (worker, Durable Objects, tests, dashboard).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

for (const project of [".", "web"]) {
  test(`tsc --noEmit -p ${project} is clean`, () => {
    const r = spawnSync("npx", ["tsc", "--noEmit", "-p", project], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
}
