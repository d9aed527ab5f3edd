#!/usr/bin/env node
// One command from a fresh clone to a running platform at http://localhost:8787:
// install dependencies, write .dev.vars from the example, build the dashboard, apply the D1
// migrations locally, start wrangler dev (API, Durable Objects, queues, dashboard), wait until
// /ready is green, seed the admin, and print where everything is.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? 8787);
const url = `http://localhost:${port}`;

function step(title, cmd, args, env = {}) {
  console.log(`\n▸ ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`✗ ${title} failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}

const lock = join(root, "package-lock.json");
const installed = join(root, "node_modules", ".package-lock.json");
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  step("Installing dependencies (npm ci)", "npm", ["ci", "--no-audit", "--no-fund"]);
}

if (!existsSync(join(root, ".dev.vars"))) {
  copyFileSync(join(root, ".dev.vars.example"), join(root, ".dev.vars"));
  console.log("\n▸ Wrote .dev.vars from .dev.vars.example (local settings and admin account)");
}

step("Building the dashboard", "npm", ["run", "build:web", "--silent"]);
step("Applying D1 migrations (local)", "npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"], {
  CI: "true",
});

console.log(`\n▸ Starting the platform on ${url}`);
const dev = spawn("npx", ["wrangler", "dev", "--port", String(port), "--ip", "0.0.0.0"], {
  cwd: root,
  stdio: ["inherit", "pipe", "pipe"],
  env: { ...process.env, FORCE_COLOR: "0" },
});
dev.stdout.on("data", (d) => process.stdout.write(d));
dev.stderr.on("data", (d) => process.stderr.write(d));
const stop = () => dev.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));

const devVars = Object.fromEntries(
  readFileSync(join(root, ".dev.vars"), "utf8")
    .split("\n")
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);

async function waitReady() {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${url}/ready`);
      if (res.ok) return await res.json();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the platform did not become ready within 120 s");
}

try {
  const ready = await waitReady();
  // Logging in once seeds the bootstrap admin (idempotent) and proves the credentials work.
  const login = await fetch(`${url}/api/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: devVars.ADMIN_EMAIL, password: devVars.ADMIN_PASSWORD }),
  }).catch(() => null);
  const checks = Object.entries(ready.checks)
    .map(([k, v]) => `${k} ${v.ok ? "ok" : "FAILED"}`)
    .join(", ");
  console.log(`
┌──────────────────────────────────────────────────────────────
│ Liquid Hive is running: ${url}
│   dashboard  ${url}/
│   API docs   ${url}/api/docs   (OpenAPI: ${url}/api/openapi.json)
│   readiness  ${checks}
│   admin      ${devVars.ADMIN_EMAIL} / (ADMIN_PASSWORD in .dev.vars)${login?.ok ? "  ✓ seeded" : ""}
│   CLI        npx hive status
│ Ctrl-C stops it.
└──────────────────────────────────────────────────────────────`);
} catch (err) {
  console.error(`✗ ${err.message}`);
  stop();
  process.exit(1);
}
