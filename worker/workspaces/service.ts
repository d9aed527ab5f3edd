// Workspace membership rules kept in the database statement itself, so two admins acting at
// once cannot leave a workspace without an admin.
import { and, eq, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Database } from "../core/db";
import { findRow } from "../core/db/find";
import { memberships, users, workspaces } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import type { WorkspaceRole } from "../core/principal";
import type { Member, Workspace } from "./schemas";

export type WorkspaceRow = typeof workspaces.$inferSelect;

export const toWorkspace = (w: WorkspaceRow, role: WorkspaceRole | null): Workspace => ({
  id: w.id,
  name: w.name,
  slug: w.slug,
  personal: w.personal,
  owner_id: w.ownerId,
  role,
  created_at: new Date(w.createdAt).toISOString(),
});

export const memberColumns = {
  userId: memberships.userId,
  email: users.email,
  name: users.name,
  kind: users.kind,
  role: memberships.role,
  createdAt: memberships.createdAt,
};

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  kind: "human" | "service";
  role: WorkspaceRole;
  createdAt: number;
}

export const toMember = (m: MemberRow): Member => ({
  user_id: m.userId,
  email: m.email,
  name: m.name,
  kind: m.kind,
  role: m.role,
  created_at: new Date(m.createdAt).toISOString(),
});

export function getWorkspace(db: Database, id: string): Promise<WorkspaceRow> {
  return findRow(db, workspaces, eq(workspaces.id, id), "Workspace");
}

export async function getMember(db: Database, workspaceId: string, userId: string): Promise<MemberRow> {
  const row = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .get();
  if (!row) throw notFound("Member");
  return row;
}

const otherAdmins = (workspaceId: string, userId: string) =>
  sql`(${memberships.role} <> 'admin' OR (SELECT count(*) FROM ${memberships} m2 WHERE m2.workspace_id = ${workspaceId} AND m2.role = 'admin' AND m2.user_id <> ${userId}) > 0)`;

async function explainRefusal(db: Database, workspaceId: string, userId: string): Promise<never> {
  await getMember(db, workspaceId, userId);
  throw new ApiError("CONFLICT", "A workspace must keep at least one admin", { details: { reason: "last_admin" } });
}

function refuseOwnerChange(workspace: WorkspaceRow, userId: string) {
  if (workspace.personal && workspace.ownerId === userId) {
    throw new ApiError("CONFLICT", "The owner of a personal workspace cannot be removed or demoted", {
      details: { reason: "personal_owner" },
    });
  }
}

export async function changeRole(
  db: Database,
  workspace: WorkspaceRow,
  userId: string,
  role: WorkspaceRole,
): Promise<MemberRow> {
  if (role !== "admin") refuseOwnerChange(workspace, userId);
  const updated = await db
    .update(memberships)
    .set({ role })
    .where(
      and(
        eq(memberships.workspaceId, workspace.id),
        eq(memberships.userId, userId),
        role === "admin" ? undefined : otherAdmins(workspace.id, userId),
      ),
    )
    .returning({ userId: memberships.userId });
  if (updated.length === 0) return explainRefusal(db, workspace.id, userId);
  return getMember(db, workspace.id, userId);
}

export async function removeMember(db: Database, workspace: WorkspaceRow, userId: string): Promise<void> {
  refuseOwnerChange(workspace, userId);
  const removed = await db
    .delete(memberships)
    .where(
      and(eq(memberships.workspaceId, workspace.id), eq(memberships.userId, userId), otherAdmins(workspace.id, userId)),
    )
    .returning({ userId: memberships.userId });
  if (removed.length === 0) await explainRefusal(db, workspace.id, userId);
}

/**
 * Case-insensitive (ASCII, like LIKE) "contains" for admin search boxes. instr, not LIKE: D1
 * refuses LIKE patterns over 50 bytes, and the search text may be longer; wildcards are literal.
 */
export const contains = (column: SQLiteColumn, text: string) => sql`instr(lower(${column}), lower(${text})) > 0`;

/** Every person has exactly one personal workspace, created with the account. */
export async function personalWorkspaceId(db: Database, userId: string): Promise<string> {
  const row = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(and(eq(workspaces.ownerId, userId), eq(workspaces.personal, true)))
    .get();
  if (!row) throw notFound("Personal workspace");
  return row.id;
}

export async function roleIn(db: Database, workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
  const row = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .get();
  return row?.role ?? null;
}
