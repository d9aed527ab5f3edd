// /api/swarm/runs: several agents working one task together. Start, list, read and cancel runs,
// and watch one over its event WebSocket (history first, then live, closed after the final result).
import type {
  MessageType,
  RunStatus,
  StartRunBody,
  Strategy,
  SwarmCancelResult,
  SwarmMessage,
  SwarmRunDetail,
  SwarmRunPage,
  SwarmSocketToken,
} from "../swarm-protocol";
import { LIMITS, MESSAGE_TYPE_NAMES, RUN_STATUSES, STRATEGIES, TERMINAL_STATUSES } from "../swarm-protocol/constants";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export type SwarmMessageOf<T extends MessageType> = Extract<SwarmMessage, { type: T }>;

/** The protocol's values for forms, filters and bounds (from its zod-free constants, which keep zod out of the bundle). */
export const SWARM_STRATEGIES = STRATEGIES;
export const SWARM_RUN_STATUSES = RUN_STATUSES;
export const SWARM_LIMITS = LIMITS;
const TERMINAL: ReadonlySet<RunStatus> = new Set<RunStatus>(TERMINAL_STATUSES);
export const isRunEnded = (status: RunStatus): boolean => TERMINAL.has(status);

export const STRATEGY_INFO: Readonly<Record<Strategy, string>> = {
  pipeline: "Agents in order, each given the task and the previous output",
  parallel: "All agents at once, then an aggregator merges the answers",
  router: "A router picks one specialist; specialists may hand the task on",
  debate: "Agents propose, then vote (or a judge decides) on the best proposal",
};

export interface RunListParams extends PageParams {
  status?: RunStatus;
}

/** The parts of a WebSocket the connector uses: the browser's and Node's `ws` both fit. */
// Handlers are declared as method types so a socket's richer event types (MessageEvent, CloseEvent) fit.
type Handler<E> = { bivarianceHack(event: E): void }["bivarianceHack"];
export interface SocketLike {
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  close(code?: number, reason?: string): void;
}

export interface WatchHandlers {
  /** Opens the socket, e.g. `(url) => new WebSocket(url)`. */
  socket: (url: string) => SocketLike;
  onMessage: (message: SwarmMessage) => void;
  /** The socket closed: normally (1000) after the final result, or because the connection failed. */
  onClose?: (event: { code: number; reason: string }) => void;
  onError?: (error: unknown) => void;
}

export interface RunWatch {
  close(): void;
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set<MessageType>(MESSAGE_TYPE_NAMES);

/** A frame as a protocol message, or null for anything this client does not know (a newer Worker cannot break it). */
export function swarmMessageOf(data: unknown): SwarmMessage | null {
  if (typeof data !== "string") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const { v, type } = parsed as { v?: unknown; type?: unknown };
  return v === 1 && typeof type === "string" && MESSAGE_TYPES.has(type) ? (parsed as SwarmMessage) : null;
}

/** ws:// or wss:// for an http(s) origin; "" (same origin) uses the page's location. */
export function socketUrl(baseUrl: string, path: string): string {
  const origin = baseUrl || ((globalThis as { location?: { origin: string } }).location?.origin ?? "");
  return `${origin.replace(/^http/, "ws")}${path}`;
}

export class SwarmApi extends ApiCalls {
  start(body: StartRunBody, opts?: CallOptions): Promise<SwarmRunDetail> {
    return this.http.json<SwarmRunDetail>("POST", "/api/swarm/runs", body, opts);
  }

  list(params: RunListParams = {}, opts?: CallOptions): Promise<SwarmRunPage> {
    return this.read<SwarmRunPage>("/api/swarm/runs", { ...params }, opts);
  }

  get(id: string, opts?: CallOptions): Promise<SwarmRunDetail> {
    return this.read<SwarmRunDetail>(`/api/swarm/runs/${segment(id)}`, {}, opts);
  }

  /** Aborts every turn in flight; `cancelled` is false when the run had already ended. */
  cancel(id: string, opts?: CallOptions): Promise<SwarmCancelResult> {
    return this.http.json<SwarmCancelResult>("POST", `/api/swarm/runs/${segment(id)}/cancel`, undefined, opts);
  }

  /** A 60-second token for the run's event socket (browsers cannot send headers on a WebSocket). */
  socketToken(id: string, opts?: CallOptions): Promise<SwarmSocketToken> {
    return this.http.json<SwarmSocketToken>("POST", `/api/swarm/runs/${segment(id)}/socket-token`, undefined, opts);
  }

  /** The WebSocket URL of the run's events, with a fresh token in it. */
  async eventsUrl(id: string, opts?: CallOptions): Promise<string> {
    const { url } = await this.socketToken(id, opts);
    return socketUrl(this.http.baseUrl, url);
  }

  /**
   * Watches a run: fetches a socket token, opens the socket and passes each protocol message to
   * `onMessage` (the history first, then live ones). The server closes it after the final result.
   */
  async watch(id: string, handlers: WatchHandlers, opts?: CallOptions): Promise<RunWatch> {
    const url = await this.eventsUrl(id, opts);
    const socket = handlers.socket(url);
    let closed = false;
    socket.onmessage = (event) => {
      const message = swarmMessageOf(event.data);
      if (message && !closed) handlers.onMessage(message);
    };
    socket.onerror = (event) => handlers.onError?.(event);
    socket.onclose = (event) => {
      if (closed) return;
      closed = true;
      handlers.onClose?.({ code: event.code, reason: event.reason });
    };
    return {
      close: () => {
        if (closed) return;
        closed = true;
        socket.close(1000, "done");
      },
    };
  }
}
