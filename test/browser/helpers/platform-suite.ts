// The real platform (its admin bootstrapped) and a browser for one describe block, for tests that
// open pages their own way (signed out, or signing in through the form): started before the
// block's tests, stopped after them.
import { after, before } from "node:test";
import type { Browser } from "playwright-core";
import { ADMIN_VARS } from "./accounts";
import { launchBrowser } from "./browser";
import { type Platform, startPlatform } from "./platform";

export interface PlatformSuite {
  readonly platform: Platform;
  readonly browser: Browser;
}

export function platformSuite(): PlatformSuite {
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  const running = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the platform runs only inside the describe block's hooks and tests");
    return value;
  };
  before(async () => {
    platform = await startPlatform({ vars: ADMIN_VARS });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });
  return {
    get platform() {
      return running(platform);
    },
    get browser() {
      return running(browser);
    },
  };
}
