#!/usr/bin/env node
// Runs the TypeScript CLI without a build step: tsx compiles cli/src on the fly. The CLI's own
// tsconfig, whatever the working directory, so its `@hive/shared/*` imports resolve.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2), process.env);
