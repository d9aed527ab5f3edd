// Creating accounts: every user (human or service) is born with what it needs to act —
// humans get a personal workspace they administer; service accounts join one workspace.
import { eq } from "drizzle-orm";
import type { Database } from "../core/db";
import { memberships, users, workspaces } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { newId, randomString } from "../core/ids";
import type { WorkspaceRole } from "../core/principal";

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export type UserRow = typeof users.$inferSelect;

export function slugFor(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${base || "workspace"}-${randomString(6).toLowerCase()}`;
}

export interface NewHuman {
  email: string;
  name?: string;
  passwordHash: string;
  platformAdmin?: boolean;
}

/** Inserts the user, its personal workspace and its admin membership in one batch. */
export async function createHuman(db: Database, input: NewHuman): Promise<{ user: UserRow; workspaceId: string }> {
  const email = normalizeEmail(input.email);
  const now = Date.now();
  const userId = newId("usr");
  const workspaceId = newId("ws");
  const name = input.name?.trim() || email.split("@")[0] || email;
  try {
    const [inserted] = await db.batch([
      db
        .insert(users)
        .values({
          id: userId,
          email,
          name,
          passwordHash: input.passwordHash,
          platformRole: input.platformAdmin ? "platform_admin" : "member",
          kind: "human",
          passwordChangedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
      db.insert(workspaces).values({
        id: workspaceId,
        name: `${name}'s workspace`,
        slug: slugFor(name),
        personal: true,
        ownerId: userId,
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(memberships).values({ workspaceId, userId, role: "admin", createdAt: now }),
    ]);
    const user = inserted[0];
    if (!user) throw new Error("user insert returned no row");
    return { user, workspaceId };
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("CONFLICT", "A user with this email already exists");
    throw err;
  }
}

/** A service account: a password-less user that exists to own API keys in one workspace. */
export async function createServiceAccount(
  db: Database,
  workspaceId: string,
  name: string,
  role: WorkspaceRole = "user",
): Promise<UserRow> {
  const id = newId("usr");
  const now = Date.now();
  // Service accounts never sign in; the reserved .invalid domain (RFC 2606) keeps the unique email column honest.
  const email = `${id.toLowerCase()}@service.liquid-hive.invalid`;
  const [rows] = await db.batch([
    db.insert(users).values({ id, email, name, kind: "service", createdAt: now, updatedAt: now }).returning(),
    db.insert(memberships).values({ workspaceId, userId: id, role, createdAt: now }),
  ]);
  const user = rows[0];
  if (!user) throw new Error("service account insert returned no row");
  return user;
}

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  return db.query.users.findFirst({ where: eq(users.email, normalizeEmail(email)) });
}

export function isUniqueViolation(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : String(err);
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text);
}
