// The one place that talks HTTP: URL building, auth header, timeout, JSON parsing, waiting out
// rate limits (retry.ts), and turning failures into HiveApiError / HiveNetworkError. Resource
// classes build on `send`.
import { errorFromResponse, HiveApiError, HiveNetworkError } from "./errors";
import {
  backoffMs,
  DEFAULT_RETRY,
  jittered,
  Pacer,
  type RetryPolicy,
  retryAfterSeconds,
  type Sleep,
  safeToRepeat,
  sleep,
  type WaitEvent,
} from "./retry";

/** The subset of RequestInit this client uses; declared here because the Workers and DOM libs differ. */
export interface HiveRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  credentials?: "omit" | "same-origin" | "include";
  signal?: AbortSignal;
}

export type FetchLike = (url: string, init: HiveRequestInit) => Promise<Response>;

export interface TransportOptions {
  /** Origin of the API, e.g. http://localhost:8787; "" means the page's own origin. */
  baseUrl: string;
  token?: string;
  fetch?: FetchLike;
  /** Browsers only: "include" or "same-origin" sends the session cookie. */
  credentials?: HiveRequestInit["credentials"];
  timeoutMs?: number;
  /** How long a call keeps trying on 429/503 with Retry-After, or a lost connection when safe. */
  retry?: Partial<RetryPolicy>;
  /** Told of every wait, e.g. to report the time spent on rate limits. */
  onWait?: (event: WaitEvent) => void;
  /** The clock, replaced by tests and benchmarks. */
  sleep?: Sleep;
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** This call's budget (over the transport's); `false` sends once and never waits. */
  retry?: Partial<RetryPolicy> | false;
  /** Per attempt; defaults to the transport's. */
  timeoutMs?: number;
  /** Lets a write be retried after a lost connection: the server acts on a key once. */
  idempotencyKey?: string;
}

export interface RawResponse {
  status: number;
  body: unknown;
  requestId: string | null;
  /** The Retry-After header of a 429 or 503, in seconds or as an HTTP date. */
  retryAfter: string | null;
  /** Attempts made, and milliseconds spent waiting between them. */
  attempts: number;
  waitedMs: number;
}

/** A 2xx answer whose body is read as it arrives. */
export interface StreamedResponse {
  headers: Headers;
  body: ReadableStream<Uint8Array>;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const DEFAULT_TIMEOUT_MS = 10_000;

/** The parsed body, or null when it is empty or not JSON (a proxy's HTML error page). */
function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class Transport {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly fetchFn: FetchLike;
  private readonly credentials: HiveRequestInit["credentials"];
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly onWait: TransportOptions["onWait"];
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly pacer = new Pacer();

  constructor(opts: TransportOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.token = opts.token;
    // Wrapped, not passed bare: browsers throw "Illegal invocation" when fetch loses its `this`.
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
    this.credentials = opts.credentials;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.onWait = opts.onWait;
    this.sleep = opts.sleep ?? sleep;
    this.random = opts.random ?? Math.random;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /**
   * Sends a request and returns status and parsed body, whatever the status. A 429 or 503 with
   * Retry-After is sent again after that wait (the server did not act on it), and a lost
   * connection is retried for reads and keyed writes, while the call's budget lasts; the last
   * answer is returned when it runs out.
   */
  async send(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<RawResponse> {
    const policy = opts.retry === false ? { maxAttempts: 1, maxWaitMs: 0 } : { ...this.retry, ...opts.retry };
    const key = `${method.toUpperCase()} ${path.split("?")[0]}`;
    let waitedMs = 0;
    const wait = async (ms: number, reason: WaitEvent["reason"], status: number | null, attempt: number) => {
      this.onWait?.({ ms, reason, status, method, path, attempt });
      await this.sleep(ms, opts.signal);
      waitedMs += ms;
    };
    for (let attempt = 1; ; attempt++) {
      const pace = Math.min(this.pacer.delay(key), policy.maxWaitMs - waitedMs);
      if (pace > 0) await wait(pace, "pacing", null, attempt);
      const init = this.init(method, "application/json", body, this.signal(opts), opts.idempotencyKey);
      let res: Response;
      try {
        res = await this.fetchOrThrow(this.url(path), init);
      } catch (err) {
        const ms = backoffMs(attempt, this.random);
        const retryable = safeToRepeat(method, init.headers) && !opts.signal?.aborted;
        if (!retryable || attempt >= policy.maxAttempts || waitedMs + ms > policy.maxWaitMs) throw err;
        await wait(ms, "backoff", null, attempt);
        continue;
      }
      this.pacer.observe(key, res.headers);
      const raw: RawResponse = {
        status: res.status,
        body: parseJson(await res.text()),
        requestId: res.headers.get("X-Request-Id"),
        retryAfter: res.headers.get("Retry-After"),
        attempts: attempt,
        waitedMs,
      };
      const seconds = res.status === 429 || res.status === 503 ? retryAfterSeconds(raw.retryAfter) : null;
      if (seconds === null) return raw;
      const ms = jittered(seconds * 1000, this.random);
      if (attempt >= policy.maxAttempts || waitedMs + ms > policy.maxWaitMs) return raw;
      await wait(ms, "retry-after", res.status, attempt);
    }
  }

  /** The caller's signal joined with a per-attempt timeout (which applies even with a caller's signal). */
  private signal(opts: CallOptions): AbortSignal {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    return opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  }

  /** The error for a non-2xx answer, saying so when it was still refused after retries. */
  private failure(raw: RawResponse): HiveApiError {
    const err = errorFromResponse(raw.status, raw.body, raw.requestId, raw.retryAfter);
    if (raw.attempts <= 1) return err;
    return new HiveApiError({
      status: err.status,
      code: err.code,
      message: `${err.message} (still refused after ${raw.attempts} attempts and ${Math.round(raw.waitedMs / 1000)} s of waiting)`,
      requestId: err.requestId,
      details: err.details,
      timestamp: err.timestamp,
      retryAfterSeconds: err.retryAfterSeconds,
    });
  }

  private init(
    method: string,
    accept: string,
    body: unknown,
    signal: AbortSignal,
    idempotencyKey?: string,
  ): HiveRequestInit {
    const headers: Record<string, string> = { Accept: accept };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    const init: HiveRequestInit = { method, headers, signal };
    // Declared even without a body: the Worker refuses cookie-authenticated writes that are
    // not JSON (its CSRF defence), e.g. a bodyless DELETE or logout.
    if (body !== undefined || UNSAFE_METHODS.has(method.toUpperCase())) headers["Content-Type"] = "application/json";
    if (body !== undefined) init.body = JSON.stringify(body);
    if (this.credentials) init.credentials = this.credentials;
    return init;
  }

  private async fetchOrThrow(url: string, init: HiveRequestInit): Promise<Response> {
    try {
      return await this.fetchFn(url, init);
    } catch (err) {
      throw new HiveNetworkError(url, err);
    }
  }

  /**
   * Opens a streamed answer (Server-Sent Events) and resolves with the Response once a 2xx
   * arrives; anything else throws HiveApiError. Only the wait for the headers is timed: an
   * answer may then stream for as long as it takes, until the caller's signal aborts it.
   */
  async stream(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<StreamedResponse> {
    const connect = new AbortController();
    const timer = setTimeout(
      () => connect.abort(new DOMException(`No answer within ${this.timeoutMs} ms`, "TimeoutError")),
      this.timeoutMs,
    );
    const signal = opts.signal ? AbortSignal.any([opts.signal, connect.signal]) : connect.signal;
    let res: Response;
    try {
      res = await this.fetchOrThrow(this.url(path), this.init(method, "text/event-stream", body, signal));
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 200 && res.status <= 299 && res.body) return { headers: res.headers, body: res.body };
    throw errorFromResponse(
      res.status,
      parseJson(await res.text()),
      res.headers.get("X-Request-Id"),
      res.headers.get("Retry-After"),
    );
  }

  /** Sends a request and returns the body of a 2xx answer; anything else throws HiveApiError. */
  async json<T>(method: string, path: string, body?: unknown, opts?: CallOptions): Promise<T> {
    const raw = await this.send(method, path, body, opts);
    if (raw.status < 200 || raw.status > 299) throw this.failure(raw);
    if (raw.body === null) {
      throw new HiveApiError({
        status: raw.status,
        code: "INVALID_RESPONSE",
        message: `HTTP ${raw.status} answer from ${path} was not JSON`,
        requestId: raw.requestId,
      });
    }
    return raw.body as T;
  }

  /** Sends a request whose success has no body (204); anything but 2xx throws HiveApiError. */
  async empty(method: string, path: string, body?: unknown, opts?: CallOptions): Promise<void> {
    const raw = await this.send(method, path, body, opts);
    if (raw.status < 200 || raw.status > 299) throw this.failure(raw);
  }
}
