#!/usr/bin/env node
// `npm test`: every suite, then one line `N passed, N failed` summing them all.
//   worker   Vitest inside workerd (@cloudflare/vitest-pool-workers), migrations applied
//   build    typecheck and the production dry-run bundle
//   cli      the `hive` CLI against a local stand-in server
//   browser  headless Chromium against the real platform under wrangler dev
//   lint     Biome (format, imports, lint rules; the non-writing `biome ci`) and knip (unused files,
//            exports and dependencies): one test each
// Pass suite names to run a subset: `npm test -- worker cli`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = join(root, ".tmp");
mkdirSync(tmp, { recursive: true });

const lock = join(root, "package-lock.json");
const installed = join(root, "node_modules", ".package-lock.json");
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;
}

function testFiles(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) {
      if (name !== "helpers") out.push(...testFiles(join(dir, name)));
    } else if (/\.test\.(mjs|ts)$/.test(name)) out.push(join(dir, name));
  }
  return out.sort();
}

function vitestSuite() {
  const report = join(tmp, "vitest.json");
  const status = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  if (!existsSync(report)) return { passed: 0, failed: 1, status };
  const r = JSON.parse(readFileSync(report, "utf8"));
  // A file that fails to load counts as a failure even though it ran no test.
  const brokenFiles = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  return { passed: r.numPassedTests, failed: r.numFailedTests + brokenFiles, status };
}

function nodeSuite(dir, name) {
  const files = testFiles(dir);
  if (files.length === 0) return { passed: 0, failed: 0, status: 0 };
  const tap = join(tmp, `${name}.tap`);
  const status = run("node", [
    "--import",
    "tsx",
    "--test",
    "--test-concurrency=1",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  const count = (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)$`, "m"))?.[1] ?? 0);
  const failed = count("fail") + count("cancelled");
  return { passed: count("pass"), failed: failed || (status !== 0 ? 1 : 0), status };
}

/** Each check is one test: passed when its command exits 0. */
function checksSuite(checks) {
  let passed = 0;
  let failed = 0;
  for (const [name, cmd, args] of checks) {
    console.log(`▸ ${name}: ${cmd} ${args.join(" ")}`);
    const status = run(cmd, args);
    console.log(status === 0 ? `✓ ${name}` : `✗ ${name} (exit ${status})`);
    if (status === 0) passed++;
    else failed++;
  }
  return { passed, failed, status: failed ? 1 : 0 };
}

function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return true;
  console.log("▸ Chromium is missing; installing Debian's chromium for the browser tests");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const [cmd, ...args] = [...sudo, "apt-get", "install", "-y", "chromium"];
  return run(cmd, args, { DEBIAN_FRONTEND: "noninteractive" }) === 0 && existsSync("/usr/bin/chromium");
}

const suites = {
  lint: () =>
    checksSuite([
      ["biome", "npx", ["biome", "ci", "."]],
      ["knip", "npx", ["knip", "--no-progress"]],
    ]),
  worker: vitestSuite,
  build: () => nodeSuite("test/build", "build"),
  cli: () => nodeSuite("test/cli", "cli"),
  browser: () => {
    if (!ensureChromium()) {
      console.error("✗ browser suite: /usr/bin/chromium is not installed and could not be installed");
      return { passed: 0, failed: 1, status: 1 };
    }
    return nodeSuite("test/browser", "browser");
  },
};

const wanted = process.argv.slice(2).filter((a) => a in suites);
const selected = wanted.length ? wanted : Object.keys(suites);
// The Worker serves the built dashboard as static assets: the Vitest pool, the dry-run
// bundle and the browser tests all need web/dist to exist. The lint suite reads only sources.
const webBuild = selected.some((s) => s !== "lint") ? run("npm", ["run", "build:web", "--silent"]) : 0;
let passed = 0;
let failed = webBuild === 0 ? 0 : 1;
const lines = webBuild === 0 ? [] : ["dashboard build failed"];
for (const name of selected) {
  console.log(`\n════ ${name} ════`);
  const r = suites[name]();
  passed += r.passed;
  failed += r.failed;
  lines.push(`${name.padEnd(8)} ${r.passed} passed, ${r.failed} failed`);
}
console.log(`\n${lines.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
