// Request and response shapes for /api/keys (types shared with the dashboard and CLI).

import type * as api from "@hive/shared/api-types/keys";
import { z } from "@hono/zod-openapi";
import { displayName } from "../core/names";
import { idParams, switchQuery } from "../core/openapi";
import { SCOPES } from "../core/principal";
import type { Expect, Same } from "../core/same-type";

export const Scope = z.enum(SCOPES);

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The visible start of the key, e.g. `lh_AbCd1234`, to tell keys apart. */
    prefix: z.string(),
    scopes: z.array(Scope),
    workspace_id: z.string(),
    /** The account the key acts as: its creator, or a service account. */
    user_id: z.string(),
    service_account: z.boolean(),
    created_by: z.string(),
    expires_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ApiKey");
export type ApiKey = z.infer<typeof ApiKey>;

export const CreatedApiKey = ApiKey.extend({
  key: z.string().openapi({ description: "The secret; shown only in this response" }),
}).openapi("CreatedApiKey");
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

const MAX_LIFETIME_MS = 2 * 365 * 24 * 3600 * 1000;

export const CreateApiKeyRequest = z
  .object({
    name: displayName(100),
    scopes: z
      .array(Scope)
      .min(1)
      .max(SCOPES.length)
      .refine((s) => new Set(s).size === s.length, "scopes must not repeat"),
    expires_at: z.iso
      .datetime({ offset: true })
      .refine((v) => {
        const t = Date.parse(v);
        return t > Date.now() && t < Date.now() + MAX_LIFETIME_MS;
      }, "must be in the future and within two years")
      .optional(),
    /** Workspace admins only: issue the key to a service account (new by name, or existing by id). */
    service_account: z
      .union([z.object({ name: displayName(100) }).strict(), z.object({ id: z.string().min(1).max(64) }).strict()])
      .optional(),
  })
  .openapi("CreateApiKeyRequest");
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

export const ApiKeyParams = idParams("key_3kT9aZ");

export const ApiKeyListQuery = z.object({ include_revoked: switchQuery("include_revoked") });

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [
  Expect<Same<ApiKey, api.ApiKey>>,
  Expect<Same<CreatedApiKey, api.CreatedApiKey>>,
  Expect<Same<CreateApiKeyRequest, api.CreateApiKeyRequest>>,
];
