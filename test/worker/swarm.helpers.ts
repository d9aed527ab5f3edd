// Helpers for swarm tests: agents whose scripted behaviour is keyed by a tag in their system
// prompt, one scripted model (installed with setProviderOverrides) that plays every agent and
// records each call, and small wrappers to start runs and wait for them to end.
import { SELF } from "cloudflare:test";
import {
  isTerminal,
  type RunStatus,
  type StartRunBody,
  type SwarmMessage,
  type SwarmRunDetail,
} from "@hive/shared/swarm-protocol";
import { afterEach, beforeAll } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { GenerateRequest, ModelEvent, ModelProvider } from "../../worker/core/providers/types";
import { BASE, createUser, expectStatus, type TestUser, token } from "./helpers/harness";

export interface Behaviour {
  /** The answer; a function sees the step's input (the user message). */
  reply?: string | ((input: string) => string);
  delayMs?: number;
  /** "error": the model reports a failure; "hang": it never answers (until aborted). */
  fail?: "error" | "hang";
  /** Fail this many calls first ("error", or "hang" until the step times out), then answer. */
  failFirst?: { times: number; how: "error" | "hang" };
  usage?: { inputTokens: number; outputTokens: number };
}

export interface Call {
  tag: string;
  input: string;
  startedAt: number;
  endedAt: number | null;
  outcome: "answered" | "failed" | "aborted" | null;
}

const TAG = /^swarm-agent:(\S+)/;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    const abort = () => {
      clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener("abort", abort, { once: true });
  });

/** Plays every agent of a run: the system prompt `swarm-agent:<tag>` picks the behaviour. */
export class SwarmModel implements ModelProvider {
  readonly id = "scripted";
  readonly degraded = false;
  readonly calls: Call[] = [];

  constructor(private readonly behaviours: Record<string, Behaviour>) {}

  callsOf(tag: string): Call[] {
    return this.calls.filter((c) => c.tag === tag);
  }

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const tag = TAG.exec(request.messages.find((m) => m.role === "system")?.content ?? "")?.[1] ?? "?";
    const input = request.messages.find((m) => m.role === "user")?.content ?? "";
    // The signal belongs to the coordinator's I/O context; tests read `outcome` instead.
    const call: Call = { tag, input, startedAt: Date.now(), endedAt: null, outcome: null };
    this.calls.push(call);
    const b = this.behaviours[tag] ?? {};
    const fail = b.failFirst && this.callsOf(tag).length <= b.failFirst.times ? b.failFirst.how : b.fail;
    const end = (outcome: Call["outcome"]) => {
      call.endedAt = Date.now();
      call.outcome = outcome;
    };
    await sleep(fail === "hang" ? 3_600_000 : (b.delayMs ?? 0), request.signal);
    if (request.signal?.aborted) {
      end("aborted");
      yield { type: "finish", reason: "cancelled", usage: { inputTokens: 0, outputTokens: 0 } };
      return;
    }
    const usage = b.usage ?? { inputTokens: 10, outputTokens: 5 };
    if (fail === "error") {
      end("failed");
      yield { type: "text", delta: "partial" };
      yield { type: "finish", reason: "error", usage };
      return;
    }
    const text = typeof b.reply === "function" ? b.reply(input) : (b.reply ?? `answer from ${tag}`);
    end("answered");
    yield { type: "text", delta: text };
    yield { type: "finish", reason: "stop", usage };
  }
}

/** Creates one agent per tag; returns tag -> agent id. */
export async function createSwarmAgents(token: string, tags: readonly string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const tag of tags) {
    const agent = await expectStatus<Agent>(201, "POST", "/api/agents", {
      token,
      body: { name: `Agent ${tag}`, description: `Scripted ${tag}`, system_prompt: `swarm-agent:${tag}` },
    });
    ids[tag] = agent.id;
  }
  return ids;
}

export function startRun(token: string, body: StartRunBody): Promise<SwarmRunDetail> {
  return expectStatus<SwarmRunDetail>(201, "POST", "/api/swarm/runs", { token, body });
}

export const getRun = (token: string, id: string) =>
  expectStatus<SwarmRunDetail>(200, "GET", `/api/swarm/runs/${id}`, { token });

/** Polls the run until it ends (or `timeoutMs` passes, which fails the test). */
export async function waitForRun(
  token: string,
  id: string,
  timeoutMs = 10_000,
  until: (status: RunStatus) => boolean = isTerminal,
): Promise<SwarmRunDetail> {
  const stop = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(token, id);
    if (until(run.status)) return run;
    if (Date.now() > stop) throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Polls until `check` holds, e.g. "the model has been called twice". */
export async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const stop = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > stop) throw new Error("condition not met in time");
    await sleep(10);
  }
}

export interface Watcher {
  messages: SwarmMessage[];
  /** Resolves when the socket closes. */
  closed: Promise<void>;
  socket: WebSocket;
}

/** Opens the run's event socket; `query` and `headers` carry the credential under test. */
export async function openEvents(
  runId: string,
  opts: { query?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return SELF.fetch(`${BASE}/api/swarm/runs/${runId}/events${opts.query ?? ""}`, {
    headers: { Upgrade: "websocket", ...opts.headers },
  });
}

export function watch(res: Response): Watcher {
  const socket = res.webSocket;
  if (!socket) throw new Error(`no WebSocket: ${res.status}`);
  const messages: SwarmMessage[] = [];
  socket.accept();
  const closed = new Promise<void>((resolve) => socket.addEventListener("close", () => resolve()));
  socket.addEventListener("message", (e) => messages.push(JSON.parse(String(e.data)) as SwarmMessage));
  return { messages, closed, socket };
}

/** A parallel run of agents a, b and c (merged by agg) whose model never answers until aborted. */
export async function startHungRun(swarm: SwarmFixture, budget?: StartRunBody["budget"]) {
  const model = new SwarmModel({ a: { fail: "hang" }, b: { fail: "hang" }, c: { fail: "hang" } });
  setProviderOverrides({ model });
  const body = {
    strategy: "parallel",
    task: "t",
    agent_ids: swarm.ids("a", "b", "c"),
    aggregator_id: swarm.id("agg"),
  } as const;
  const started = await startRun(swarm.access, budget ? { ...body, budget } : body);
  return { model, started };
}

export interface SwarmFixture {
  user: TestUser;
  access: string;
  id(tag: string): string;
  /** The agents' ids, in order: `agent_ids: swarm.ids("a", "b")`. */
  ids(...tags: string[]): string[];
  /** Starts a run as the fixture's user and waits for it to end. */
  run(body: StartRunBody, timeoutMs?: number): Promise<SwarmRunDetail>;
}

/** A user with one scripted agent per tag, made before the file's tests; the model override is cleared after each test. */
export function useSwarmFixture(tags: readonly string[]): SwarmFixture {
  let ids: Record<string, string> = {};
  const fixture: SwarmFixture = {
    user: { id: "", email: "", password: "", personalWorkspaceId: "" },
    access: "",
    id: (tag) => ids[tag] ?? "",
    ids: (...tags) => tags.map(fixture.id),
    run: async (body, timeoutMs) => waitForRun(fixture.access, (await startRun(fixture.access, body)).id, timeoutMs),
  };
  beforeAll(async () => {
    fixture.user = await createUser();
    fixture.access = (await token(fixture.user.email, fixture.user.password)).access_token;
    ids = await createSwarmAgents(fixture.access, tags);
  });
  afterEach(() => clearProviderOverrides());
  return fixture;
}
