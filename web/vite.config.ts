// The dashboard build. `vite dev` proxies the API paths to `wrangler dev` on :8787 so the
// browser sees one origin, as it does in production (Pages Functions) and under wrangler dev.
// web/functions is deliberately outside the module graph: Pages compiles it, Vite never sees it.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

const webDir = fileURLToPath(new URL(".", import.meta.url));
const sharedDir = fileURLToPath(new URL("../shared", import.meta.url));
const API_ORIGIN = process.env.HIVE_API_ORIGIN ?? "http://localhost:8787";

const toApi: ProxyOptions = { target: API_ORIGIN, ws: true };

export default defineConfig({
  root: webDir,
  plugins: [react()],
  // The same alias as the tsconfig `paths`: the API client and types in shared/.
  resolve: { alias: { "@hive/shared": sharedDir } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    fs: { allow: [webDir, sharedDir] },
    // Regex keys: "/agents" alone is the dashboard's own page; only "/agents/..." is the API.
    proxy: {
      "^/(api|v1)/": toApi,
      "^/mcp(/|\\?|$)": toApi,
      "^/agents/": toApi,
      "^/(health|ready|metrics)(\\?|$)": toApi,
    },
  },
});
