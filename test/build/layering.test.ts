// The layering rule of docs/architecture.md holds over the whole tree: every .ts/.tsx file of
// worker/, durable-objects/, shared/, web/ and cli/ is parsed and its imports checked
// (helpers/import-rules.ts). The unit tests below prove the checker catches each kind of
// wrong-way import, so an empty list of offenders means something.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  type ClassLookup,
  checkFile,
  durableObjectClasses,
  FORBID_TYPE_IMPORTS_IN_CLIENTS,
  importsOf,
} from "./helpers/import-rules";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const LAYERS = ["worker", "durable-objects", "shared", "web", "cli"];
const SKIP = new Set(["node_modules", "dist"]);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    if (SKIP.has(name)) continue;
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) out.push(...sources(path));
    else if (/\.(m?ts|tsx)$/.test(name)) out.push(path);
  }
  return out;
}

const treeClasses: ClassLookup = (modulePath) => {
  const file = [".ts", ".tsx", "/index.ts"].map((ext) => join(root, modulePath + ext)).find(existsSync);
  return file ? durableObjectClasses(file, readFileSync(file, "utf8")) : new Set();
};

test("no file imports against the layering rule", () => {
  const files = LAYERS.flatMap(sources);
  assert.ok(files.length > 300, `expected the whole tree, found ${files.length} files`);
  const offenders = files.flatMap((file) => checkFile(file, readFileSync(join(root, file), "utf8"), treeClasses));
  const listing = offenders.map((o) => `${o.file}:${o.line} imports "${o.specifier}": ${o.rule}`).join("\n");
  assert.deepEqual(offenders, [], `layering offenders:\n${listing}`);
});

describe("the checker", () => {
  // A stand-in durable-objects/ module: one Durable Object class and a type beside it.
  const hosts: ClassLookup = (path) => (path === "durable-objects/counters" ? new Set(["Counters"]) : new Set());
  const rules = (file: string, text: string) => checkFile(file, text, hosts).map((o) => o.rule);
  const counters = `"../../durable-objects/counters"`;
  const recorder = "worker/metrics/recorder.ts";

  test("reads value, type, re-export, import() type and dynamic imports apart", () => {
    const found = importsOf(
      "x.ts",
      [
        `import { a, type B } from "./a";`,
        `import type { C } from "./c";`,
        `export type { D } from "./d";`,
        `export { E } from "./e";`,
        `type F = import("./f").G;`,
        `const h = await import("./h");`,
      ].join("\n"),
    );
    assert.deepEqual(
      found.map((i) => [i.specifier, i.typeOnly, i.line]),
      [
        ["./a", false, 1],
        ["./c", true, 2],
        ["./d", true, 3],
        ["./e", false, 4],
        ["./f", true, 5],
        ["./h", false, 6],
      ],
    );
    assert.deepEqual(found[4]?.names, ["G"]);
  });

  test("worker/ may not import durable-objects/ values", () => {
    assert.equal(rules(recorder, `import { Counters } from ${counters};`).length, 1);
    // `import { type X }` still leaves an import behind under verbatimModuleSyntax.
    assert.equal(rules(recorder, `import { type Counters } from ${counters};`).length, 1);
  });

  test("worker/ takes only Durable Object classes from durable-objects/, as types", () => {
    assert.deepEqual(rules(recorder, `import type { Counters } from ${counters};`), []);
    const [rule] = rules(recorder, `import type { Counters, CounterIncrement } from ${counters};`);
    assert.match(rule ?? "", /move CounterIncrement into worker\//);
    assert.equal(rules("worker/core/env.ts", `type N = DurableObjectNamespace<import(${counters}).Tally>;`).length, 1);
  });

  test("the entry file re-exports the Durable Object classes", () => {
    assert.deepEqual(rules("worker/index.ts", `export { Counters } from "../durable-objects/counters";`), []);
  });

  test("worker/core/ imports no feature folder", () => {
    const [rule] = rules("worker/core/middleware.ts", `import { recordRequest } from "../metrics/recorder";`);
    assert.match(rule ?? "", /reaches worker\/metrics/);
    const select = "worker/core/providers/select.ts";
    assert.equal(rules(select, `import type { Chunk } from "../../knowledge/chunker";`).length, 1);
    assert.deepEqual(rules("worker/core/middleware.ts", `import { log } from "./logger";`), []);
    assert.deepEqual(rules(select, `import type { Config } from "../config";`), []);
    // The generated Env names the entry file's classes, as types; a value import would be a cycle.
    assert.deepEqual(rules("worker/core/worker-configuration.d.ts", `type C = import("../index").Counters;`), []);
    assert.equal(rules("worker/core/errors.ts", `import { createApp } from "../app";`).length, 1);
  });

  test("features may import each other and core", () => {
    const text = `import { audit } from "../audit/audit";\nimport { log } from "../core/logger";`;
    assert.deepEqual(rules("worker/chat/loop.ts", text), []);
  });

  test("shared/ takes types only from worker/ and durable-objects/", () => {
    const keys = "shared/api-client/keys.ts";
    assert.deepEqual(rules(keys, `import type { ApiKey } from "../../worker/keys/schemas";`), []);
    assert.equal(rules(keys, `import { ApiKey } from "../../worker/keys/schemas";`).length, 1);
    assert.equal(rules("shared/swarm-protocol/run.ts", `import { Counters } from ${counters};`).length, 1);
  });

  test("web/ and cli/ reach the Worker through shared/", () => {
    assert.equal(rules("web/src/pages/Keys.tsx", `import { toApiKey } from "../../../worker/keys/routes";`).length, 1);
    assert.equal(rules("cli/src/command.ts", `import { Counters } from ${counters};`).length, 1);
    assert.deepEqual(rules("cli/src/command.ts", `import { HiveClient } from "../../shared/api-client";`), []);
    // Type imports of Worker response types wait for those types to move into shared/.
    const envelope = `import type { ErrorEnvelope } from "../../../worker/core/errors";`;
    const typeOnly = rules("web/functions/_shared/forward.ts", envelope);
    assert.equal(typeOnly.length, FORBID_TYPE_IMPORTS_IN_CLIENTS ? 1 : 0);
  });

  test("durable-objects/ may import worker/", () => {
    assert.deepEqual(rules("durable-objects/counters.ts", `import { writeLog } from "../worker/core/logger";`), []);
  });

  test("finds the Durable Object classes of a module, not the stores beside them", () => {
    const text = [
      "export class Store {}",
      "export class Host extends DurableObject<Env> {}",
      "class Hidden extends X {}",
      "export interface I {}",
    ].join("\n");
    assert.deepEqual([...durableObjectClasses("durable-objects/x.ts", text)], ["Host"]);
  });
});
