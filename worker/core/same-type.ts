// Compile-time proof that a route's zod schema and the client type in shared/api-types describe
// the same JSON, so the dashboard and the CLI cannot drift from what the Worker validates and
// returns. A mismatch (a field added, removed, renamed or retyped on either side) fails `tsc`.
// Used as `type _Checks = [Expect<Same<z.output<typeof Schema>, api.Type>>, ...]`.

/** True when each type is assignable to the other. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Compiles only for `true`. */
export type Expect<T extends true> = T;
