// The request shapes the API classes repeat: a GET of one record or of a page (with its query)
// and a DELETE. Each class extends this and states only its paths and types.
import { type QueryValue, withQuery } from "./query";
import type { CallOptions, Transport } from "./transport";

export abstract class ApiCalls {
  constructor(protected readonly http: Transport) {}

  /** GET `path`, with the parameters that have a value as its query string. */
  protected read<T>(path: string, query: Record<string, QueryValue> = {}, opts?: CallOptions): Promise<T> {
    return this.http.json<T>("GET", withQuery(path, query), undefined, opts);
  }

  protected remove(path: string, opts?: CallOptions): Promise<void> {
    return this.http.empty("DELETE", path, undefined, opts);
  }
}
