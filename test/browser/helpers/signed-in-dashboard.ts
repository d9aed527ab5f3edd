// The real platform with its admin signed in to a browser context: for tests about pages
// behind the sign-in (agents, knowledge...). Pages opened through it record uncaught errors,
// so a test can finish by asserting there were none.
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
