// The one place that talks HTTP: URL building, auth header, timeout, JSON parsing, and turning
// failures into HiveApiError / HiveNetworkError. Resource classes build on `send`.
import { errorFromResponse, HiveApiError, HiveNetworkError } from "./errors";

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
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  body: unknown;
  requestId: string | null;
  /** The Retry-After header of a 429 or 503, in seconds or as an HTTP date. */
  retryAfter: string | null;
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

  constructor(opts: TransportOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.token = opts.token;
    // Wrapped, not passed bare: browsers throw "Illegal invocation" when fetch loses its `this`.
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
    this.credentials = opts.credentials;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** Sends a request and returns status and parsed body, whatever the status. */
  async send(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<RawResponse> {
    const url = this.url(path);
    // The timeout applies even when the caller passes its own signal (e.g. abort on unmount).
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const res = await this.fetchOrThrow(url, this.init(method, "application/json", body, signal));
    return {
      status: res.status,
      body: parseJson(await res.text()),
      requestId: res.headers.get("X-Request-Id"),
      retryAfter: res.headers.get("Retry-After"),
    };
  }

  private init(method: string, accept: string, body: unknown, signal: AbortSignal): HiveRequestInit {
    const headers: Record<string, string> = { Accept: accept };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
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
    if (raw.status < 200 || raw.status > 299)
      throw errorFromResponse(raw.status, raw.body, raw.requestId, raw.retryAfter);
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
    if (raw.status < 200 || raw.status > 299)
      throw errorFromResponse(raw.status, raw.body, raw.requestId, raw.retryAfter);
  }
}
