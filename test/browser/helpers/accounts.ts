// Accounts for browser tests: the platform admin that `startPlatform({ vars: ADMIN_VARS })`
// bootstraps, and signing a browser context in without going through the login form (for
// tests about other pages; the identity test signs in through the form).
import type { BrowserContext } from "playwright-core";
import { postFromPage } from "./page-fetch";

export const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" } as const;
export const ADMIN_VARS = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };

/** Signs `context` in by calling the login API from one of its pages, as the dashboard does. */
export async function signIn(
  context: BrowserContext,
  origin: string,
  account: { email: string; password: string } = ADMIN,
): Promise<void> {
  const page = await context.newPage();
  try {
    // A dashboard document: API answers carry a CSP that forbids fetch from them.
    await page.goto(`${origin}/login`);
    const { status } = await postFromPage(page, "/api/auth/login", account);
    if (status !== 200) throw new Error(`sign-in as ${account.email} answered ${status}`);
  } finally {
    await page.close();
  }
}
