// The benchmarks' client of a local platform (test/browser/helpers/platform.ts): signed in as
// the bootstrap admin through the public API, re-signing in when the 15-minute access token
// runs out, plus the upload-and-wait-until-indexed step the knowledge benchmarks share.
import { existsSync, writeFileSync } from "node:fs";
import { type Platform, startPlatform } from "../../test/browser/helpers/platform";

/** Runs a benchmark against the platform: a failure prints the platform's last error lines; its log is saved and it stops either way. */
export async function benchAgainst(platform: Platform, logFile: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    console.error(err);
    console.error(
      platform
        .logs()
        .split("\n")
        .filter((l) => /error|exception/i.test(l))
        .slice(-30)
        .join("\n"),
    );
    process.exitCode = 1;
  } finally {
    writeFileSync(logFile, platform.logs());
    await platform.stop();
  }
}
export interface Admin {
  email: string;
  password: string;
}

/** The bootstrap admin of a benchmark's platform. */
export const BENCH_ADMIN: Admin = { email: "bench-admin@liquid-hive.local", password: "bench-admin-password-123" };

/** A fresh local platform (web/dist built first when missing) whose bootstrap admin is BENCH_ADMIN, with `vars` on top. */
export function startBenchPlatform(vars: Record<string, string>): Promise<Platform> {
  return startPlatform({
    build: !existsSync("web/dist/index.html"),
    vars: { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password, ...vars },
  });
}

export class PlatformApi {
  private token = "";

  constructor(
    readonly url: string,
    private readonly admin: Admin,
  ) {}

  async login(): Promise<void> {
    this.token = (await this.call<{ access_token: string }>("POST", "/api/auth/token", this.admin, false)).access_token;
  }

  /** Fetch with the access token; the raw response, for streamed answers. */
  fetch(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async call<T>(method: string, path: string, body?: unknown, signedIn = true): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.fetch(method, path, body);
      if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
      const text = await res.text();
      if (res.status === 401 && attempt === 0 && signedIn) {
        await this.login();
        continue;
      }
      throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    }
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export interface Ingestion {
  documents: number;
  chunks: number;
  uploadSeconds: number;
  totalSeconds: number;
  failed: number;
}

/** Polls until no document of the knowledge base is queued or processing. */
export async function waitReady(
  api: PlatformApi,
  kbId: string,
  since: number,
): Promise<{ totalSeconds: number; documents: number; chunks: number }> {
  let last = Number.POSITIVE_INFINITY;
  let lastChange = performance.now();
  for (;;) {
    const pending = await Promise.all(
      ["queued", "processing"].map((s) =>
        api.call<{ data: unknown[] }>("GET", `/api/knowledge-bases/${kbId}/documents?status=${s}&limit=100`),
      ),
    );
    const left = pending.reduce((n, p) => n + p.data.length, 0);
    if (left === 0) break;
    if (left < last) [last, lastChange] = [left, performance.now()];
    // The consumer retries with backoff up to 5 minutes; longer without progress is a stall.
    if (performance.now() - lastChange > 420_000) throw new Error(`ingestion stalled with ${left}+ documents pending`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const totalSeconds = (performance.now() - since) / 1000;
  const kb = await api.call<{ document_count: number; chunk_count: number }>(
    "GET",
    `/api/knowledge-bases/${kbId}?fresh=${Date.now()}`,
  );
  return { totalSeconds, documents: kb.document_count, chunks: kb.chunk_count };
}

/** Uploads the documents through the API and waits until the queue consumer has indexed them all. */
export async function ingest(
  api: PlatformApi,
  kbId: string,
  items: { name: string; content: string }[],
  concurrency: number,
): Promise<Ingestion> {
  const started = performance.now();
  await pool(
    items,
    concurrency,
    async (item) => void (await api.call("POST", `/api/knowledge-bases/${kbId}/documents`, item)),
  );
  const uploaded = performance.now();
  const { totalSeconds } = await waitReady(api, kbId, started);
  const kb = await api.call<{ document_count: number; chunk_count: number }>(
    "GET",
    `/api/knowledge-bases/${kbId}?fresh=${Date.now()}`,
  );
  const failed = (
    await api.call<{ data: unknown[] }>("GET", `/api/knowledge-bases/${kbId}/documents?status=failed&limit=100`)
  ).data.length;
  return {
    documents: kb.document_count,
    chunks: kb.chunk_count,
    uploadSeconds: (uploaded - started) / 1000,
    totalSeconds,
    failed,
  };
}
