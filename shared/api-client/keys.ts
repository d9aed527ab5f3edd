// /api/keys: API keys in the current workspace. The secret is in the create answer only.
import type { ApiKey, ApiKeyPage, CreateApiKeyRequest, CreatedApiKey, Scope } from "../api-types";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export type { ApiKey, ApiKeyPage, CreateApiKeyRequest, CreatedApiKey } from "../api-types";
export type ApiKeyScope = Scope;

/**
 * Every scope the API accepts, with what it allows. Typed as a Record over the Worker's scope
 * enum, so a scope added there fails the typecheck here until it is described.
 */
export const API_KEY_SCOPES: Readonly<Record<ApiKeyScope, string>> = {
  "agents:read": "Read agents and their versions",
  "agents:write": "Create, change and delete agents",
  chat: "Chat with agents and read own conversations",
  "knowledge:read": "Read and search knowledge bases",
  "knowledge:write": "Create knowledge bases and upload documents",
  swarm: "Start, read and cancel swarm runs",
  safety: "Run safety checks and read safety events",
  evals: "Read, create and change evaluation datasets; start, read and cancel runs",
  "audit:read": "Read the workspace audit log (admins and read-only members)",
  admin: "Administer the workspace: members and keys (admins only)",
};

export const scopeNames = (): ApiKeyScope[] => Object.keys(API_KEY_SCOPES) as ApiKeyScope[];

export type ApiKeyStatus = "active" | "expired" | "revoked";

/** What a key can do right now; an expired key is refused like a revoked one. */
export function keyStatus(key: Pick<ApiKey, "revoked_at" | "expires_at">, now = Date.now()): ApiKeyStatus {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && Date.parse(key.expires_at) <= now) return "expired";
  return "active";
}

export interface ApiKeyListParams extends PageParams {
  includeRevoked?: boolean;
}

export class KeysApi extends ApiCalls {
  list(params: ApiKeyListParams = {}, opts?: CallOptions): Promise<ApiKeyPage> {
    const { includeRevoked, ...page } = params;
    return this.read<ApiKeyPage>("/api/keys", { ...page, include_revoked: includeRevoked }, opts);
  }

  /** Creates a key; `key` in the answer is the secret, shown this once. */
  create(body: CreateApiKeyRequest, opts?: CallOptions): Promise<CreatedApiKey> {
    return this.http.json<CreatedApiKey>("POST", "/api/keys", body, opts);
  }

  get(id: string, opts?: CallOptions): Promise<ApiKey> {
    return this.read<ApiKey>(`/api/keys/${segment(id)}`, {}, opts);
  }

  /** Revokes a key; it stops working on the next request. */
  revoke(id: string, opts?: CallOptions): Promise<void> {
    return this.remove(`/api/keys/${segment(id)}`, opts);
  }
}
