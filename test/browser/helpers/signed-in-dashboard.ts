// The real platform with its admin signed in to a browser context: for tests about pages
// behind the sign-in (agents, knowledge...). Pages opened through it record uncaught errors,
// so a test can finish by asserting there were none. `signedInDashboardSuite` is the same for
// one describe block: started before its tests, closed after them.
import { after, before } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ADMIN_VARS, signIn } from "./accounts";
import { launchBrowser } from "./browser";
import { type Platform, startPlatform } from "./platform";

export interface SignedInDashboard {
  platform: Platform;
  browser: Browser;
  context: BrowserContext;
  /** "path: message" of every uncaught error in a page opened with `open`. */
  pageErrors: string[];
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startSignedInDashboard(vars: Record<string, string> = {}): Promise<SignedInDashboard> {
  const platform = await startPlatform({ vars: { ...ADMIN_VARS, ...vars } });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext();
    await signIn(context, platform.url);
    const pageErrors: string[] = [];
    return {
      platform,
      browser,
      context,
      pageErrors,
      async open(path) {
        const page = await context.newPage();
        page.on("pageerror", (err) => pageErrors.push(`${path}: ${err.message}`));
        await page.goto(`${platform.url}${path}`);
        return page;
      },
      async close() {
        await browser?.close();
        await platform.stop();
      },
    };
  } catch (err) {
    await browser?.close();
    await platform.stop();
    throw err;
  }
}

/** A signed-in dashboard for the describe block that calls this (before its tests, closed after them). */
export function signedInDashboardSuite(vars: Record<string, string> = {}): Omit<SignedInDashboard, "close"> {
  let dashboard: SignedInDashboard | undefined;
  const running = (): SignedInDashboard => {
    if (!dashboard) throw new Error("the dashboard runs only inside the describe block's hooks and tests");
    return dashboard;
  };
  before(async () => {
    dashboard = await startSignedInDashboard(vars);
  });
  after(() => dashboard?.close());
  return {
    get platform() {
      return running().platform;
    },
    get browser() {
      return running().browser;
    },
    get context() {
      return running().context;
    },
    get pageErrors() {
      return running().pageErrors;
    },
    open: (path) => running().open(path),
  };
}
