// /api/auth/*: dashboard sign-in (session cookie), tokens for API clients, and the caller's account.
import type {
  LoginRequest,
  LoginResponse,
  MeResponse,
  PasswordChangeRequest,
  SessionList,
  TokenRequest,
  TokenResponse,
} from "../api-types";
import { ApiCalls } from "./calls";
import { segment } from "./query";
import type { CallOptions } from "./transport";

export type {
  LoginRequest,
  LoginResponse,
  Membership,
  MeResponse,
  PasswordChangeRequest,
  Session,
  SessionList,
  TokenRequest,
  TokenResponse,
} from "../api-types";

export class AuthApi extends ApiCalls {
  /** Signs in; the Worker sets the session cookie (browsers only). */
  login(body: LoginRequest, opts?: CallOptions): Promise<LoginResponse> {
    return this.http.json<LoginResponse>("POST", "/api/auth/login", body, opts);
  }

  /** Ends the session (cookie) or the token family (bearer JWT). */
  logout(opts?: CallOptions): Promise<void> {
    return this.http.empty("POST", "/api/auth/logout", undefined, opts);
  }

  me(opts?: CallOptions): Promise<MeResponse> {
    return this.read<MeResponse>("/api/auth/me", {}, opts);
  }

  /** Email and password for a 15-minute access token and a rotating refresh token. */
  token(body: TokenRequest, opts?: CallOptions): Promise<TokenResponse> {
    return this.http.json<TokenResponse>("POST", "/api/auth/token", body, opts);
  }

  /** Rotates a refresh token: the old one is spent, presenting it again ends the whole family. */
  refresh(refreshToken: string, opts?: CallOptions): Promise<TokenResponse> {
    return this.http.json<TokenResponse>("POST", "/api/auth/refresh", { refresh_token: refreshToken }, opts);
  }

  /** The workspace a dashboard session acts in from now on (sessions only). */
  async switchWorkspace(workspaceId: string, opts?: CallOptions): Promise<void> {
    await this.http.json<{ ok: true }>("PUT", "/api/auth/workspace", { workspace_id: workspaceId }, opts);
  }

  async changePassword(body: PasswordChangeRequest, opts?: CallOptions): Promise<void> {
    await this.http.json<{ ok: true }>("POST", "/api/auth/password", body, opts);
  }

  sessions(opts?: CallOptions): Promise<SessionList> {
    return this.read<SessionList>("/api/auth/sessions", {}, opts);
  }

  endSession(id: string, opts?: CallOptions): Promise<void> {
    return this.remove(`/api/auth/sessions/${segment(id)}`, opts);
  }
}
