// A local flaky OpenAI-compatible model server: POST /v1/chat/completions answers a streamed
// completion, except that `failRate` of the requests (seeded, so a run repeats) fail in one of
// `modes`: 5xx, hang (silent for --hang-ms after the headers), cut (half the answer, then the
// stream closes), malformed (a chunk that is not JSON), slow (--slow-ms between tokens). GET
// /stats returns how many requests each mode got. The fault driver (driver.ts) starts it itself.
// Run alone: node --import tsx bench/faults/server.ts [--port 0] [--seed 19] [--fail-rate 0.5]
//   [--modes 5xx,hang,cut] [--hang-ms 30000] [--slow-ms 250]
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_SHAPE, FAULT_MODES, type FaultMode, type FaultShape, faultPicker, faultResponse } from "./responses";

export interface FaultServerOptions {
  seed: number;
  failRate: number;
  modes: readonly FaultMode[];
  port?: number;
  shape?: Partial<FaultShape>;
}

export interface FaultServer {
  /** Base URL for LLM_BASE_URL, e.g. http://127.0.0.1:41234/v1 */
  url: string;
  /** Requests served, by mode. */
  stats(): Record<FaultMode, number>;
  stop(): Promise<void>;
}

/** The command-line flags the server and the driver share. */
export const FAULT_FLAGS = {
  seed: { type: "string", default: "19" },
  "fail-rate": { type: "string", default: "0.5" },
  modes: { type: "string", default: "5xx,hang,cut" },
} as const;

export function parseModes(list: string): FaultMode[] {
  const modes = list.split(",").map((m) => m.trim());
  const bad = modes.filter((m) => !(FAULT_MODES as readonly string[]).includes(m));
  if (bad.length) throw new Error(`unknown fault modes: ${bad.join(", ")} (known: ${FAULT_MODES.join(", ")})`);
  return modes as FaultMode[];
}

async function relay(res: ServerResponse, answer: Response, closed: AbortSignal) {
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.flushHeaders();
  if (!answer.body) return res.end();
  try {
    for await (const part of answer.body) {
      if (closed.aborted) break;
      res.write(part);
    }
  } finally {
    res.end();
  }
}

export async function startFaultServer(opts: FaultServerOptions): Promise<FaultServer> {
  const pick = faultPicker(opts.seed, opts.failRate, opts.modes);
  const shape = { ...DEFAULT_SHAPE, ...opts.shape };
  const stats = Object.fromEntries(FAULT_MODES.map((m) => [m, 0])) as Record<FaultMode, number>;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET" && req.url === "/stats") return res.end(JSON.stringify(stats));
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404).end();
      return;
    }
    const closed = new AbortController();
    res.on("close", () => closed.abort());
    req.resume();
    req.on("end", () => {
      const mode = pick();
      stats[mode]++;
      void relay(res, faultResponse(mode, shape, closed.signal), closed.signal);
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats: () => ({ ...stats }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      ...FAULT_FLAGS,
      "hang-ms": { type: "string", default: String(DEFAULT_SHAPE.hangMs) },
      "slow-ms": { type: "string", default: String(DEFAULT_SHAPE.slowMs) },
    },
  });
  const server = await startFaultServer({
    seed: Number(values.seed),
    failRate: Number(values["fail-rate"]),
    modes: parseModes(values.modes),
    port: Number(values.port),
    shape: { hangMs: Number(values["hang-ms"]), slowMs: Number(values["slow-ms"]) },
  });
  console.log(`flaky model server on ${server.url} (Ctrl-C stops it)`);
}
