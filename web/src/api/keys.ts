// Query keys, one family per API resource. Every key of a family starts with its root, so a
// write invalidates the root (`queryKeys.keys.all`) and each list, page and detail below it
// refetches. Params objects are part of the key: another filter or page is another entry.
import type { QueryKey } from "@tanstack/react-query";

function family<Root extends string>(root: Root) {
  return {
    all: [root] as const,
    /** Every page and filter of the list, not the details. */
    lists: [root, "list"] as const,
    list: (params: object = {}) => [root, "list", params] as const,
    detail: (id: string) => [root, "detail", id] as const,
  };
}

export const queryKeys = {
  agents: {
    ...family("agents"),
    versions: (id: string, params: object) => ["agents", "detail", id, "versions", params] as const,
  },
  conversations: family("conversations"),
  knowledge: {
    ...family("knowledge"),
    documents: (kbId: string, params: object) => ["knowledge", "detail", kbId, "documents", params] as const,
    search: (kbId: string, request: object) => ["knowledge", "detail", kbId, "search", request] as const,
    ingestion: (kbId: string) => ["knowledge", "detail", kbId, "ingestion"] as const,
  },
  swarm: family("swarm"),
  /** Evaluation runs; `results` and `compare` sit below a run's detail so a run's write refreshes them. */
  evalRuns: {
    ...family("evalRuns"),
    results: (id: string, params: object) => ["evalRuns", "detail", id, "results", params] as const,
    compare: (baseline: string, candidate: string, tolerance: number) =>
      ["evalRuns", "compare", baseline, candidate, tolerance] as const,
  },
  keys: family("keys"),
  users: family("users"),
  members: family("members"),
  /** `list` for a workspace's pending invitations, `mine` for those sent to the caller. */
  invitations: { ...family("invitations"), mine: ["invitations", "mine"] as const },
  audit: family("audit"),
  traces: family("traces"),
  flags: family("flags"),
  /** `list` for the guard's events; `policy` for a workspace's default policy. */
  safety: { ...family("safety"), policy: (workspaceId: string) => ["safety", "policy", workspaceId] as const },
  sessions: family("sessions"),
  /** Evaluation datasets; `cases` per dataset and version. */
  evalDatasets: {
    ...family("evalDatasets"),
    cases: (id: string, params: object) => ["evalDatasets", "detail", id, "cases", params] as const,
  },
  usage: family("usage"),
  monitoring: family("monitoring"),
  ready: ["ready"] as const,
} satisfies Record<string, QueryKey | Record<string, QueryKey | ((...args: never[]) => QueryKey)>>;
