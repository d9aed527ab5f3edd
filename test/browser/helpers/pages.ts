// The production topology on one machine: `wrangler pages dev` serves web/dist with the Pages
// Functions in web/functions, whose `API` service binding reaches the platform's Worker
// through their shared dev registry.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser";
import { type Platform, startPlatform } from "./platform";
import { localServe, type Service, startWrangler } from "./processes";

export interface PagesSite extends Service {
  url: string;
}

async function startPagesDev(platform: Platform): Promise<PagesSite> {
  // web/wrangler.toml binds API to the deployed Worker (liquid-hive-production); locally the
  // Worker runs under its base name, so the binding is pointed there.
  const state = await mkdtemp(join(tmpdir(), "lh-pages-"));
  try {
    const { url, args } = await localServe(state);
    const site = await startWrangler(
      ["pages", "dev", "dist", "--cwd", "web", ...args, "--service", `API=${platform.workerName}`],
      { probeUrl: `${url}/health`, env: { WRANGLER_REGISTRY_PATH: platform.registryPath }, timeoutMs: 30_000 },
    );
    return {
      url,
      logs: site.logs,
      async stop() {
        await site.stop();
        await rm(state, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(state, { recursive: true, force: true });
    throw err;
  }
}

/** The Worker, `wrangler pages dev` in front of it, and a browser: the production topology for one suite. */
export interface PagesStack {
  platform: Platform;
  site: PagesSite;
  browser: Browser;
  close(): Promise<void>;
}

export async function startPagesStack(vars: Record<string, string> = {}): Promise<PagesStack> {
  // Pages dev registers under web/wrangler.toml's name, which is also the Worker's base name.
  const platform = await startPlatform({ vars, name: "liquid-hive-api" });
  let site: PagesSite | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await site?.stop();
    await platform.stop();
  };
  try {
    site = await startPagesDev(platform);
    browser = await launchBrowser();
    return { platform, site, browser, close };
  } catch (err) {
    await close();
    throw err;
  }
}
