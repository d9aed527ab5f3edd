// /api/keys: API keys in the current workspace. People make keys for themselves, capped by
// their role; workspace admins also make keys for service accounts. A key is shown once.
// Admins see and revoke every key in the workspace, others only their own; anything else
// answers 404, exactly like a key that does not exist.
import type { z } from "@hono/zod-openapi";
import { and, eq, getTableColumns, isNull, or, type SQL } from "drizzle-orm";
import { audit } from "../audit/audit";
import { type HumanPrincipal, humanOnly } from "../auth/guards";
import type { Database } from "../core/db";
import { apiKeys, memberships, users } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import { newId, sha256Hex } from "../core/ids";
import { newestPage } from "../core/newest-page";
import { PageQuery, page, type Router } from "../core/openapi";
import type { AuthenticatedPrincipal } from "../core/principal";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { iso } from "../users/schemas";
import { createServiceAccount } from "../users/service";
import { generateApiKey } from "./format";
import { ApiKey, ApiKeyListQuery, ApiKeyParams, CreateApiKeyRequest, CreatedApiKey } from "./schemas";
import { scopesForRole } from "./scopes";

const tags = ["keys"];
export const ApiKeyPage = page(ApiKey).openapi("ApiKeyPage");
export type ApiKeyPage = z.infer<typeof ApiKeyPage>;

type KeyRow = Omit<typeof apiKeys.$inferSelect, "keyHash"> & { kind: "human" | "service" };

const toApiKey = (k: KeyRow): ApiKey => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes as ApiKey["scopes"],
  workspace_id: k.workspaceId,
  user_id: k.userId,
  service_account: k.kind === "service",
  created_by: k.createdBy,
  expires_at: iso(k.expiresAt),
  last_used_at: iso(k.lastUsedAt),
  revoked_at: iso(k.revokedAt),
  created_at: new Date(k.createdAt).toISOString(),
});

/** Which keys the caller may see: all in the workspace for admins, else the ones they made or act as. */
function visibleTo(p: AuthenticatedPrincipal): SQL | undefined {
  const inWorkspace = eq(apiKeys.workspaceId, p.workspaceId);
  if (p.role === "admin" || p.role === "service") return inWorkspace;
  return and(inWorkspace, or(eq(apiKeys.userId, p.userId), eq(apiKeys.createdBy, p.userId)));
}

// Everything but the hash: it never leaves the database layer.
const { keyHash: _hash, ...publicColumns } = getTableColumns(apiKeys);
const keyColumns = { ...publicColumns, kind: users.kind };

async function findKey(db: Database, p: AuthenticatedPrincipal, id: string): Promise<KeyRow> {
  const row = await db
    .select(keyColumns)
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.id, id), visibleTo(p)))
    .get();
  if (!row) throw notFound("API key");
  return row;
}

async function keyOwner(db: Database, p: HumanPrincipal, body: CreateApiKeyRequest): Promise<string> {
  const account = body.service_account;
  if (!account) {
    const allowed = scopesForRole(p.role);
    const excess = body.scopes.filter((s) => !allowed.includes(s));
    if (excess.length > 0)
      throw new ApiError("FORBIDDEN", `Your ${p.role} role cannot grant these scopes`, { details: { scopes: excess } });
    return p.userId;
  }
  if (p.role !== "admin") throw new ApiError("FORBIDDEN", "Only workspace admins create keys for service accounts");
  if ("name" in account) return (await createServiceAccount(db, p.workspaceId, account.name)).id;
  const existing = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, p.workspaceId)))
    .where(and(eq(users.id, account.id), eq(users.kind, "service")))
    .get();
  if (!existing) throw notFound("Service account");
  return existing.id;
}

export function registerKeys(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/keys",
      tags,
      summary: "API keys in the current workspace (never their secrets)",
      query: PageQuery.extend(ApiKeyListQuery.shape),
      ok: [ApiKeyPage, "Keys"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { limit, cursor, include_revoked } = c.req.valid("query");
      const page = await newestPage(
        c.var.services.db.select(keyColumns).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).$dynamic(),
        apiKeys,
        { cursor, limit },
        toApiKey,
        visibleTo(p),
        include_revoked ? undefined : isNull(apiKeys.revokedAt),
      );
      return c.json(page, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/keys",
      tags,
      summary: "Create an API key; the secret is in this response only",
      body: CreateApiKeyRequest,
      created: [CreatedApiKey, "Created"],
    }),
    async (c) => {
      const p = humanOnly(c, "create API keys");
      const body = c.req.valid("json");
      const db = c.var.services.db;
      const userId = await keyOwner(db, p, body);
      const { key, prefix } = generateApiKey();
      const [row] = await db
        .insert(apiKeys)
        .values({
          id: newId("key"),
          workspaceId: p.workspaceId,
          userId,
          createdBy: p.userId,
          name: body.name,
          prefix,
          keyHash: await sha256Hex(key),
          scopes: body.scopes,
          expiresAt: body.expires_at ? Date.parse(body.expires_at) : null,
          createdAt: Date.now(),
        })
        .returning();
      if (!row) throw new Error("api key insert returned no row");
      await audit(c, {
        action: "key.create",
        targetType: "api_key",
        targetId: row.id,
        detail: { name: row.name, prefix, scopes: row.scopes, acts_as: userId },
      });
      return c.json({ ...toApiKey({ ...row, kind: userId === p.userId ? "human" : "service" }), key }, 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/keys/{id}",
      tags,
      summary: "One API key (never its secret)",
      params: ApiKeyParams,
      ok: [ApiKey, "The key"],
    }),
    async (c) =>
      c.json(toApiKey(await findKey(c.var.services.db, signedIn(c.var.principal), c.req.valid("param").id)), 200),
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/keys/{id}",
      tags,
      summary:
        "Revoke an API key; it stops working on the next request (in other isolates within AUTH_CACHE_TTL_SECONDS)",
      params: ApiKeyParams,
      noContent: "Revoked",
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const key = await findKey(db, p, c.req.valid("param").id);
      if (!key.revokedAt)
        await db
          .update(apiKeys)
          .set({ revokedAt: Date.now() })
          .where(and(eq(apiKeys.id, key.id), isNull(apiKeys.revokedAt)));
      await audit(c, {
        action: "key.revoke",
        targetType: "api_key",
        targetId: key.id,
        detail: { name: key.name, prefix: key.prefix },
      });
      return c.body(null, 204);
    },
  );
}
