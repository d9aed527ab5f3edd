// Watching a WebSocket close: when, with which code and reason. For the tests that take a
// socket's principal's access away and expect the socket closed within a re-check interval
// (worker/auth/socket-guard.ts).
import { expect } from "vitest";
import { SOCKET_RECHECK_MS } from "../../../worker/auth/socket-guard";

/** "Within a few seconds": one re-check interval, plus the query and the close handshake. */
export const CLOSE_WITHIN_MS = SOCKET_RECHECK_MS + 2000;

export interface Closed {
  code: number;
  reason: string;
  at: number;
}

/** The close frame `ws` receives; listen before accepting it. */
export const closeOf = (ws: WebSocket): Promise<Closed> =>
  new Promise((resolve) =>
    ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason, at: Date.now() })),
  );

/** The socket is closed with `code` and `reason` within CLOSE_WITHIN_MS of `since`. */
export async function expectClosed(
  closed: Promise<Closed>,
  since: number,
  code: number,
  reason: string,
): Promise<void> {
  const timeout = new Promise<"still open">((resolve) =>
    setTimeout(() => resolve("still open"), CLOSE_WITHIN_MS + 3000),
  );
  const result = await Promise.race([closed, timeout]);
  expect(result).toMatchObject({ code, reason });
  expect((result as Closed).at - since).toBeLessThan(CLOSE_WITHIN_MS);
}

/** The socket is still open after another re-check, then closed by the test. */
export async function expectStillOpen(ws: WebSocket): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SOCKET_RECHECK_MS + 500));
  expect(ws.readyState).toBe(WebSocket.OPEN);
  ws.close();
}
