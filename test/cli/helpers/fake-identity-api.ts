// A stand-in for the Worker's token, account and API key routes (worker/auth, worker/keys),
// answering with their exact types and error envelope, so `hive login/whoami/keys` are tested
// against the real wire format. Tokens are random and rotate like the real ones: a refresh
// token works once, and presenting it again revokes its family.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiKey, ApiKeyPage, CreatedApiKey, MeResponse, TokenResponse } from "@hive/shared/api-types";
import { readObject, sendError, sendJson } from "./fake-http";
import { listenLocal } from "./local-server";

export const ACCOUNT = { email: "ada@example.com", password: "correct horse battery staple" } as const;
const USER_ID = "usr_ada";
const WORKSPACE = {
  id: "ws_ada",
  name: "Ada's workspace",
  slug: "ada",
  personal: true,
  owner_id: USER_ID,
  created_at: "2026-01-01T12:00:00.000Z",
};

const random = (prefix: string) => `${prefix}${randomBytes(24).toString("base64url")}`;

interface Family {
  revoked: boolean;
}

export interface FakeIdentityApi {
  url: string;
  /** Every request as "METHOD /path" with the Authorization header it carried. */
  requests: { route: string; authorization: string | null }[];
  /** Seconds for the next sign-in to answer 429 with Retry-After (0: sign-in works). */
  lockoutSeconds: number;
  /** Makes every access token issued so far fail, as after their 15 minutes. */
  expireAccessTokens(): void;
  /** Revokes every token family, as a password change or a disabled account does. */
  revokeAll(): void;
  /** Whether a refresh token was rotated already (spent). */
  isSpent(refreshToken: string): boolean;
  familyRevoked(accessToken: string): boolean;
  keys: ApiKey[];
  close(): Promise<void>;
}

export async function startFakeIdentityApi(): Promise<FakeIdentityApi> {
  const families = new Map<string, Family>();
  const accessFamily = new Map<string, string>();
  const refreshFamily = new Map<string, string>();
  const spent = new Set<string>();
  const expired = new Set<string>();
  const secrets = new Map<string, string>();

  function issue(familyId: string): TokenResponse {
    const access = random("eyJ");
    const refresh = random("lhr_");
    accessFamily.set(access, familyId);
    refreshFamily.set(refresh, familyId);
    return {
      access_token: access,
      token_type: "Bearer",
      expires_in: 900,
      refresh_token: refresh,
      refresh_expires_in: 2_592_000,
      workspace_id: WORKSPACE.id,
    };
  }

  const bearer = (req: IncomingMessage) => /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1] ?? null;

  /** "jwt" for a live access token, "key" for a live API key, null otherwise. */
  function caller(req: IncomingMessage): "jwt" | "key" | null {
    const token = bearer(req);
    if (!token) return null;
    const key = api.keys.find((k) => secrets.get(k.id) === token);
    if (key) return key.revoked_at ? null : "key";
    const family = families.get(accessFamily.get(token) ?? "");
    return family && !family.revoked && !expired.has(token) ? "jwt" : null;
  }

  const api: FakeIdentityApi = {
    url: "",
    requests: [],
    lockoutSeconds: 0,
    keys: [],
    expireAccessTokens: () => {
      for (const token of accessFamily.keys()) expired.add(token);
    },
    revokeAll: () => {
      for (const f of families.values()) f.revoked = true;
    },
    isSpent: (token) => spent.has(token),
    familyRevoked: (token) => families.get(accessFamily.get(token) ?? "")?.revoked ?? false,
    close: async () => {},
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const route = `${req.method} ${path}`;
    api.requests.push({ route, authorization: req.headers.authorization ?? null });

    if (route === "POST /api/auth/token") {
      const b = await readObject(req);
      if (api.lockoutSeconds > 0) {
        const wait = String(api.lockoutSeconds);
        return sendError(
          res,
          429,
          "RATE_LIMITED",
          "Too many failed sign-in attempts; try again later",
          { retry_after_seconds: api.lockoutSeconds },
          { "Retry-After": wait },
        );
      }
      if (b.email !== ACCOUNT.email || b.password !== ACCOUNT.password)
        return sendError(res, 401, "UNAUTHENTICATED", "Invalid email or password");
      const familyId = random("fam_");
      families.set(familyId, { revoked: false });
      return sendJson(res, 200, issue(familyId));
    }
    if (route === "POST /api/auth/refresh") {
      const token = String((await readObject(req)).refresh_token ?? "");
      const familyId = refreshFamily.get(token);
      const family = families.get(familyId ?? "");
      if (!familyId || !family || family.revoked)
        return sendError(res, 401, "UNAUTHENTICATED", "Invalid, expired or revoked refresh token");
      if (spent.has(token)) {
        family.revoked = true;
        return sendError(res, 401, "UNAUTHENTICATED", "Invalid, expired or revoked refresh token");
      }
      spent.add(token);
      return sendJson(res, 200, issue(familyId));
    }

    const who = caller(req);
    if (!who)
      return sendError(
        res,
        401,
        "UNAUTHENTICATED",
        req.headers.authorization ? "Invalid or expired access token" : "Authentication required",
      );

    if (route === "POST /api/auth/logout") {
      const family = families.get(accessFamily.get(bearer(req) ?? "") ?? "");
      if (family) family.revoked = true;
      return sendJson(res, 204);
    }
    if (route === "GET /api/auth/me") {
      const me: MeResponse = {
        user: {
          id: USER_ID,
          email: ACCOUNT.email,
          name: "Ada",
          kind: "human",
          platform_role: "member",
          disabled: false,
          created_at: WORKSPACE.created_at,
        },
        workspace: { ...WORKSPACE, role: who === "key" ? null : "admin" },
        role: who === "key" ? "service" : "admin",
        via: who === "key" ? "api_key" : "jwt",
        scopes: [],
        memberships: [
          { workspace_id: WORKSPACE.id, name: WORKSPACE.name, slug: WORKSPACE.slug, personal: true, role: "admin" },
        ],
      };
      return sendJson(res, 200, me);
    }
    if (route === "GET /api/keys") {
      const all = new URL(req.url ?? "/", "http://fake").searchParams.get("include_revoked") === "true";
      const page: ApiKeyPage = { data: api.keys.filter((k) => all || !k.revoked_at), next_cursor: null };
      return sendJson(res, 200, page);
    }
    if (route === "POST /api/keys") {
      const b = await readObject(req);
      if (typeof b.name !== "string" || !Array.isArray(b.scopes) || b.scopes.length === 0) {
        return sendError(res, 400, "VALIDATION_ERROR", "Invalid request body", {
          fields: [{ path: "scopes", message: "at least one", code: "too_small" }],
        });
      }
      const prefix = random("lh_").slice(0, 11);
      const key: ApiKey = {
        id: random("key_").slice(0, 16),
        name: b.name,
        prefix,
        scopes: b.scopes as ApiKey["scopes"],
        workspace_id: WORKSPACE.id,
        user_id: USER_ID,
        service_account: false,
        created_by: USER_ID,
        expires_at: typeof b.expires_at === "string" ? b.expires_at : null,
        last_used_at: null,
        revoked_at: null,
        created_at: new Date().toISOString(),
      };
      const secret = `${prefix}_${randomBytes(30).toString("base64url")}`;
      api.keys.unshift(key);
      secrets.set(key.id, secret);
      return sendJson(res, 201, { ...key, key: secret } satisfies CreatedApiKey);
    }
    const revoke = /^DELETE \/api\/keys\/([^/]+)$/.exec(route);
    if (revoke) {
      const key = api.keys.find((k) => k.id === decodeURIComponent(revoke[1] ?? ""));
      if (!key) return sendError(res, 404, "NOT_FOUND", "API key not found");
      key.revoked_at ??= new Date().toISOString();
      return sendJson(res, 204);
    }
    sendError(res, 404, "NOT_FOUND", `No route for ${route}`);
  }

  const server = await listenLocal((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, 500, "INTERNAL", String(err)));
  });
  return Object.assign(api, server);
}
