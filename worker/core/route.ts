// One declaration shape for the JSON routes. A route file states only what is its own (method,
// path, summary, input, success answer, the error cases peculiar to it); the error responses every
// route can give and the signed-in security schemes are added here, so they are written once.
import { createRoute, type z } from "@hono/zod-openapi";
import { commonErrors, ErrorSchema, jsonBody, jsonResponse, SIGNED_IN_SECURITY } from "./openapi";

type Method = "get" | "post" | "put" | "patch" | "delete";
/** A success answer: its body schema and the description the OpenAPI document gives it. */
type Answer = readonly [schema: z.ZodType, description: string];
type ErrorStatus = 409 | 413 | 422 | 502 | 503;

interface JsonRouteSpec {
  method: Method;
  path: string;
  tags: string[];
  summary: string;
  description?: string;
  /** "none": the route takes no credentials (sign-in itself) or checks them on its own. */
  security?: "none";
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** false: the body may be left out (its fields all have defaults). */
  bodyRequired?: false;
  ok?: Answer;
  created?: Answer;
  /** A 200 answered as Server-Sent Events, each event's `data` matching the schema. */
  stream?: Answer;
  /** The description of a 204 answer. */
  noContent?: string;
  /** Error answers beyond the common ones, by status, with what they mean on this route. */
  errors?: Partial<Record<ErrorStatus, string>>;
}

type Json<S> = { content: { "application/json": { schema: S } }; description: string };
type Part<S, K extends string> = S extends Record<K, infer T> ? T : undefined;
type Reply<S, K extends string, Status extends number> =
  S extends Record<K, readonly [infer T, string]> ? Record<Status, Json<T>> : unknown;

type RouteOf<S extends JsonRouteSpec> = {
  method: S["method"];
  path: S["path"];
  tags: string[];
  summary: string;
  request: {
    params: Part<S, "params">;
    query: Part<S, "query">;
    body: S extends Record<"body", infer B>
      ? { content: { "application/json": { schema: B } }; required: true }
      : undefined;
  };
  responses: Reply<S, "ok", 200> &
    Reply<S, "created", 201> &
    (S extends Record<"stream", readonly [infer T, string]>
      ? Record<200, { content: { "text/event-stream": { schema: T } }; description: string }>
      : unknown) &
    (S extends Record<"noContent", string> ? Record<204, { description: string }> : unknown) &
    (S extends Record<"errors", infer E> ? Record<keyof E & ErrorStatus, Json<typeof ErrorSchema>> : unknown) &
    typeof commonErrors;
};

/** `createRoute` with the standard error responses and the signed-in security filled in. */
export function jsonRoute<const S extends JsonRouteSpec>(spec: S) {
  const { method, path, tags, summary, description, security, params, query, body, bodyRequired } = spec;
  const errors = Object.entries(spec.errors ?? {}).map(([status, meaning]) => [
    status,
    jsonResponse(ErrorSchema, meaning),
  ]);
  const request = {
    ...(params ? { params } : {}),
    ...(query ? { query } : {}),
    ...(body ? { body: { ...jsonBody(body), required: bodyRequired ?? true } } : {}),
  };
  const config = {
    method,
    path,
    tags,
    ...(security === "none" ? {} : { security: SIGNED_IN_SECURITY }),
    summary,
    ...(description ? { description } : {}),
    ...(Object.keys(request).length > 0 ? { request } : {}),
    responses: {
      ...(spec.ok ? { 200: jsonResponse(...spec.ok) } : {}),
      ...(spec.created ? { 201: jsonResponse(...spec.created) } : {}),
      ...(spec.stream
        ? { 200: { content: { "text/event-stream": { schema: spec.stream[0] } }, description: spec.stream[1] } }
        : {}),
      ...(spec.noContent ? { 204: { description: spec.noContent } } : {}),
      ...Object.fromEntries(errors),
      ...commonErrors,
    },
  };
  return createRoute(config as unknown as RouteOf<S>);
}
