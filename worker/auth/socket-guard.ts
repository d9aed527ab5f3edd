// Keeps open WebSockets honest after the handshake. The Durable Objects that hold sockets
// (conversation Agents, swarm run coordinators) record each socket's principal when it connects
// and ask this guard again on every inbound message and every SOCKET_RECHECK_MS while sockets
// are open. A socket whose principal lost access is closed: 4401 when the credential ended
// (sign-out, revoked session, key or token family, disabled user: sign in again), 4403 when the
// person may no longer see it (removed from the workspace, or a role or scopes that no longer
// pass the route's rule). A positive answer is cached for SOCKET_RECHECK_MS, so chatty sockets
// cost at most one D1 query per credential per interval; the periodic sweep always asks D1.
// A failed query keeps the sockets open and is retried at the next sweep (and logged).
import { check } from "../core/authorize";
import { createDb } from "../core/db";
import { ApiError } from "../core/errors";
import { writeLog } from "../core/logger";
import type { Rule } from "../core/permissions";
import { currentPrincipal, type Lapse, SocketPrincipal } from "./live-principal";

export const SOCKET_RECHECK_MS = 2_000;

export interface Revocation {
  code: 4401 | 4403;
  reason: string;
}

const LAPSED: Record<Lapse, Revocation> = {
  user_disabled: { code: 4401, reason: "user disabled" },
  credential_revoked: { code: 4401, reason: "credential revoked" },
  membership_removed: { code: 4403, reason: "removed from the workspace" },
};
const NOT_PERMITTED: Revocation = { code: 4403, reason: "no longer permitted" };
/** A socket with no principal on record cannot be re-checked; the client reconnects and is checked anew. */
const UNRECORDED: Revocation = { code: 4401, reason: "authentication required" };

/** Null while `principal` may open or keep a socket under `rule`; else why not. One D1 query. */
export async function socketVerdict(
  d1: D1Database,
  principal: SocketPrincipal,
  rule: Rule,
): Promise<Revocation | null> {
  const current = await currentPrincipal(createDb(d1), principal);
  if (typeof current === "string") return LAPSED[current];
  return check(rule, current) ? NOT_PERMITTED : null;
}

/** For the Worker's socket routes: a socket token minted before its credential ended opens nothing. */
export async function refuseRevoked(d1: D1Database, principal: SocketPrincipal, rule: Rule): Promise<void> {
  const revoked = await socketVerdict(d1, principal, rule);
  if (revoked?.code === 4401)
    throw new ApiError("UNAUTHENTICATED", `The socket token's credential no longer stands (${revoked.reason})`);
  if (revoked)
    throw new ApiError("FORBIDDEN", `The socket token's holder may no longer open this socket (${revoked.reason})`);
}

/** An open socket as the guard sees it: what was recorded at connect, and how to close it. */
export interface GuardedSocket {
  principal: unknown;
  close(code: number, reason: string): void;
}

const keyOf = (p: SocketPrincipal) => `${p.via}:${p.credentialId}:${p.userId}:${p.workspaceId}`;

export class SocketGuard {
  private readonly allowedUntil = new Map<string, number>();

  constructor(
    private readonly d1: D1Database,
    private readonly rule: Rule,
    /** Names the object in logs. */
    private readonly owner: string,
  ) {}

  /** Every inbound message: true if the socket may stay; else it has been closed. */
  async keep(socket: GuardedSocket): Promise<boolean> {
    const parsed = SocketPrincipal.safeParse(socket.principal);
    if (!parsed.success) return this.close(socket, UNRECORDED);
    const key = keyOf(parsed.data);
    if ((this.allowedUntil.get(key) ?? 0) > Date.now()) return true;
    const revoked = await this.ask(parsed.data, key);
    return revoked ? this.close(socket, revoked) : true;
  }

  /** Re-checks every socket against D1, one query per credential; closes those that lost access. */
  async sweep(sockets: readonly GuardedSocket[]): Promise<void> {
    const groups = new Map<string, { principal: SocketPrincipal; sockets: GuardedSocket[] }>();
    for (const socket of sockets) {
      const parsed = SocketPrincipal.safeParse(socket.principal);
      if (!parsed.success) {
        this.close(socket, UNRECORDED);
        continue;
      }
      const key = keyOf(parsed.data);
      const group = groups.get(key) ?? { principal: parsed.data, sockets: [] };
      group.sockets.push(socket);
      groups.set(key, group);
    }
    await Promise.all(
      [...groups].map(async ([key, group]) => {
        const revoked = await this.ask(group.principal, key);
        if (revoked) for (const socket of group.sockets) this.close(socket, revoked);
      }),
    );
  }

  /** The verdict from D1 (a failure counts as allowed for now, uncached); remembers a positive one. */
  private async ask(principal: SocketPrincipal, key: string): Promise<Revocation | null> {
    let revoked: Revocation | null;
    try {
      revoked = await socketVerdict(this.d1, principal, this.rule);
    } catch (err) {
      writeLog("warn", "socket_recheck_failed", {
        owner: this.owner,
        error: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
    if (revoked) {
      this.allowedUntil.delete(key);
      writeLog("info", "socket_access_revoked", {
        owner: this.owner,
        user: principal.userId,
        workspace: principal.workspaceId,
        via: principal.via,
        reason: revoked.reason,
      });
    } else {
      this.allowedUntil.set(key, Date.now() + SOCKET_RECHECK_MS);
    }
    return revoked;
  }

  private close(socket: GuardedSocket, revocation: Revocation): false {
    try {
      socket.close(revocation.code, revocation.reason);
    } catch {
      // already closed
    }
    return false;
  }
}
