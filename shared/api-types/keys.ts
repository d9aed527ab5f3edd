// /api/keys: API keys of the current workspace. The secret is in the create answer only.
import type { Page } from "./page";
import type { Scope } from "./roles";

export interface ApiKey {
  id: string;
  name: string;
  /** The visible start of the key, e.g. `lh_AbCd1234`, to tell keys apart. */
  prefix: string;
  scopes: Scope[];
  workspace_id: string;
  /** The account the key acts as: its creator, or a service account. */
  user_id: string;
  service_account: boolean;
  created_by: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}
export type ApiKeyPage = Page<ApiKey>;

export interface CreatedApiKey extends ApiKey {
  /** The secret; shown only in this response. */
  key: string;
}

export interface CreateApiKeyRequest {
  name: string;
  scopes: Scope[];
  expires_at?: string;
  /** Act as a service account: a new one by name, or an existing one by id. */
  service_account?: { name: string } | { id: string };
}
