import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runHive } from "./helpers/run-hive";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

test("--version prints the package version", async () => {
  const run = await runHive(["--version"]);
  assert.equal(run.code, 0);
  assert.equal(run.stdout.trim(), pkg.version);
});

test("--help lists the commands and the global options", async () => {
  const run = await runHive(["--help"]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^Usage: hive /);
  assert.match(run.stdout, /^ {2}status\s+Show liveness/m);
  assert.match(run.stdout, /--url <url>/);
  assert.match(run.stdout, /--json/);
});

test("<command> --help documents the command's exit codes", async () => {
  const run = await runHive(["status", "--help"]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^Usage: hive .*status/);
  assert.match(run.stdout, /2 {2}unreachable/);
});

test("usage errors exit 64 with a message on stderr", async () => {
  for (const args of [[], ["nope"], ["status", "--bogus"], ["status", "--url", "localhost:8787"]]) {
    const run = await runHive(args);
    assert.equal(run.code, 64, `hive ${args.join(" ")}`);
    assert.match(run.stderr, /^hive: /, `hive ${args.join(" ")}`);
    assert.equal(run.stdout, "");
  }
});
