// Invitation rules kept in the database statements themselves: one pending invitation per
// workspace and email (a partial unique index), and an answer or a revocation only moves a
// pending, unexpired row, so an invitee accepting while an admin revokes cannot both win.
import { and, eq, gt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../core/db";
import { invitations, memberships, users, workspaces } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import { newId } from "../core/ids";
import type { WorkspaceRole } from "../core/principal";
import { isUniqueViolation, normalizeEmail } from "../users/service";
import type { Invitation, InvitationStatus, MyInvitation } from "./schemas";

export type InvitationRow = typeof invitations.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

/** A pending invitation past its expiry reads as expired, whether or not the row says so yet. */
const statusOf = (row: Pick<InvitationRow, "status" | "expiresAt">, now: number): InvitationStatus =>
  row.status === "pending" && row.expiresAt <= now ? "expired" : row.status;

export const toInvitation = (row: InvitationRow, now: number): Invitation => ({
  id: row.id,
  workspace_id: row.workspaceId,
  email: row.email,
  role: row.role,
  status: statusOf(row, now),
  invited_by: row.invitedBy,
  expires_at: iso(row.expiresAt),
  responded_at: row.respondedAt === null ? null : iso(row.respondedAt),
  created_at: iso(row.createdAt),
});

/** The WHERE condition for `?status=`, with expiry applied the way statusOf reads it. */
export function statusIs(status: InvitationStatus, now: number): SQL | undefined {
  if (status === "pending") return and(eq(invitations.status, "pending"), gt(invitations.expiresAt, now));
  if (status === "expired")
    return or(
      eq(invitations.status, "expired"),
      and(eq(invitations.status, "pending"), lte(invitations.expiresAt, now)),
    );
  return eq(invitations.status, status);
}

/** What the invitee sees: the workspace by name and who invited them. */
const myInvitationColumns = {
  invitation: invitations,
  workspaceName: workspaces.name,
  inviterName: users.name,
  inviterEmail: users.email,
};

interface MyInvitationRow {
  invitation: InvitationRow;
  workspaceName: string;
  inviterName: string;
  inviterEmail: string;
}

export const toMyInvitation = (r: MyInvitationRow, now: number): MyInvitation => ({
  id: r.invitation.id,
  workspace: { id: r.invitation.workspaceId, name: r.workspaceName },
  role: r.invitation.role,
  status: statusOf(r.invitation, now),
  invited_by: { name: r.inviterName, email: r.inviterEmail },
  expires_at: iso(r.invitation.expiresAt),
  created_at: iso(r.invitation.createdAt),
});

export const myInvitationsQuery = (db: Database) =>
  db
    .select(myInvitationColumns)
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .innerJoin(users, eq(users.id, invitations.invitedBy));

interface NewInvitation {
  workspaceId: string;
  email: string;
  role: WorkspaceRole;
  invitedBy: string;
  ttlMs: number;
}

/**
 * Invites an email. The only refusal that depends on who the email belongs to is "already a
 * member here", which the inviting admin can read from the member list anyway; whether the
 * address has an account elsewhere changes nothing in the answer.
 */
export async function createInvitation(db: Database, input: NewInvitation): Promise<InvitationRow> {
  const email = normalizeEmail(input.email);
  const member = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, input.workspaceId), eq(users.email, email)))
    .get();
  if (member)
    throw new ApiError("CONFLICT", "Already a member of this workspace", { details: { reason: "already_member" } });
  const now = Date.now();
  const row: InvitationRow = {
    id: newId("inv"),
    workspaceId: input.workspaceId,
    email,
    role: input.role,
    invitedBy: input.invitedBy,
    status: "pending",
    expiresAt: now + input.ttlMs,
    respondedBy: null,
    respondedAt: null,
    createdAt: now,
  };
  try {
    await db.batch([
      // A lapsed invitation no longer holds the one pending slot for this email.
      db
        .update(invitations)
        .set({ status: "expired" })
        .where(
          and(
            eq(invitations.workspaceId, input.workspaceId),
            eq(invitations.email, email),
            eq(invitations.status, "pending"),
            lte(invitations.expiresAt, now),
          ),
        ),
      db.insert(invitations).values(row),
    ]);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ApiError("CONFLICT", "This email already has a pending invitation; revoke it to send a new one", {
        details: { reason: "already_invited" },
      });
    throw err;
  }
  return row;
}

/** Why an invitation that exists cannot be answered or revoked any more. */
function notPending(row: InvitationRow, now: number): ApiError {
  const status = statusOf(row, now);
  return new ApiError("CONFLICT", `This invitation is ${status}`, { details: { reason: status } });
}

export async function revokeInvitation(
  db: Database,
  workspaceId: string,
  id: string,
  adminId: string,
): Promise<InvitationRow> {
  const now = Date.now();
  const [revoked] = await db
    .update(invitations)
    .set({ status: "revoked", respondedBy: adminId, respondedAt: now })
    .where(and(eq(invitations.id, id), eq(invitations.workspaceId, workspaceId), eq(invitations.status, "pending")))
    .returning();
  if (revoked) return revoked;
  const row = await db.query.invitations.findFirst({
    where: and(eq(invitations.id, id), eq(invitations.workspaceId, workspaceId)),
  });
  if (!row) throw notFound("Invitation");
  throw notPending(row, now);
}

/**
 * The invitee's answer. Only the account whose email the invitation names may give it; for
 * anyone else it does not exist. Accepting adds the membership in the same batch, and only if
 * this answer is the one that moved the row.
 */
export async function answerInvitation(
  db: Database,
  id: string,
  invitee: { userId: string; email: string },
  answer: "accepted" | "declined",
): Promise<InvitationRow> {
  const email = normalizeEmail(invitee.email);
  const now = Date.now();
  const mine = and(eq(invitations.id, id), eq(invitations.email, email));
  const move = db
    .update(invitations)
    .set({ status: answer, respondedBy: invitee.userId, respondedAt: now })
    .where(and(mine, eq(invitations.status, "pending"), gt(invitations.expiresAt, now)))
    .returning();
  const join = db
    .insert(memberships)
    .select(
      db
        .select({
          workspaceId: invitations.workspaceId,
          userId: sql<string>`${invitee.userId}`.as("user_id"),
          role: invitations.role,
          createdAt: sql<number>`${now}`.as("created_at"),
        })
        .from(invitations)
        .where(
          and(
            eq(invitations.id, id),
            eq(invitations.status, "accepted"),
            eq(invitations.respondedBy, invitee.userId),
            eq(invitations.respondedAt, now),
          ),
        ),
    )
    .onConflictDoNothing();
  const [moved] = answer === "accepted" ? (await db.batch([move, join]))[0] : await move;
  if (moved) return moved;
  const row = await db.query.invitations.findFirst({ where: mine });
  if (!row) throw notFound("Invitation");
  throw notPending(row, now);
}
