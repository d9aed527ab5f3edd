// The API's request and response types and the constants clients need (enums, limits), defined
// once for the Worker, the dashboard and the CLI. Plain TypeScript with no imports outside this
// folder, so the browser bundle gets only the constants it uses. The Worker's zod schemas are
// checked against these types at compile time (worker/core/same-type.ts), so neither can drift.
export * from "./agents";
export * from "./audit";
export * from "./auth";
export * from "./chat";
export * from "./conversations";
export * from "./errors";
export type * from "./evals";
export * from "./flags";
export * from "./health";
export * from "./invitations";
export * from "./keys";
export * from "./knowledge";
export * from "./monitoring";
export type * from "./page";
export * from "./roles";
export * from "./safety";
export * from "./traces";
export * from "./usage";
export * from "./users";
export * from "./workspaces";
