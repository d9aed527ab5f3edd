// The CI-sized run of the load harness (bench/load.ts): 15 s of mixed load from 4 clients with a
// fixed seed against the real platform under wrangler dev. Zero 5xx, zero lost acknowledged
// writes, every document ready.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LOAD_PLATFORM_VARS, loadAdmin } from "../../bench/lib/load-platform";
import { formatLoadReport, runLoad } from "../../bench/lib/mixed-load";
import { type Platform, startPlatform } from "./helpers/platform";

let platform: Platform;

before(async () => {
  platform = await startPlatform({ vars: LOAD_PLATFORM_VARS });
});

after(async () => {
  await platform?.stop();
});

test("15 s of mixed load: no 5xx, no lost acknowledged write, every document ready", { timeout: 600_000 }, async () => {
  const report = await runLoad({ url: platform.url, admin: loadAdmin, clients: 4, seconds: 15, seed: 19 });
  console.log(formatLoadReport(report));
  assert.ok(report.requests > 0);
  assert.deepEqual(report.serverErrors, []);
  assert.deepEqual(report.lostWrites, []);
  assert.ok(report.acknowledgedWrites > 0, "the run acknowledged writes to read back");
  assert.deepEqual(report.documents.notReady, []);
  assert.ok(report.documents.uploaded > 0, "the run uploaded documents");
  assert.deepEqual(report.unexpected, {});
});
