// Request and response shapes for accounts, shared by the auth, users and workspaces routes
// and (as types) by the dashboard and CLI.

import { PLATFORM_ROLES } from "@hive/shared/api-types/roles";
import type * as api from "@hive/shared/api-types/users";
import { z } from "@hono/zod-openapi";
import { displayName } from "../core/names";
import { idParams, inQuery } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";
import type { UserRow } from "./service";

export const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** Trimmed and lower-cased before validation: addresses are compared case-insensitively. */
export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254)).openapi({ example: "ada@example.com" });
/** ASVS V6.2: at least 12 characters, long passphrases welcome, no composition rules. */
export const NewPassword = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(128)
  .openapi({ example: "correct horse battery staple" });
export const PlatformRole = z.enum(PLATFORM_ROLES);

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    kind: z.enum(["human", "service"]),
    platform_role: PlatformRole,
    disabled: z.boolean(),
    created_at: z.string(),
  })
  .openapi("User");
export type User = z.infer<typeof User>;

export const toUser = (u: UserRow): User => ({
  id: u.id,
  email: u.email,
  name: u.name,
  kind: u.kind,
  platform_role: u.platformRole,
  disabled: u.disabledAt !== null,
  created_at: new Date(u.createdAt).toISOString(),
});

export const UserId = idParams("usr_3kT9aZ");

export const CreateUserRequest = z
  .object({
    email: Email,
    password: NewPassword,
    name: displayName(100).optional(),
    platform_role: PlatformRole.default("member"),
  })
  .openapi("CreateUserRequest");
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .object({
    name: displayName(100).optional(),
    platform_role: PlatformRole.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "give at least one of name, platform_role, disabled")
  .openapi("UpdateUserRequest");
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UserListQuery = z.object({
  q: z.string().trim().max(254).optional().openapi(inQuery("q", "email or name contains")),
  kind: z.enum(["human", "service"]).optional().openapi(inQuery("kind")),
});

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [
  Expect<Same<User, api.User>>,
  Expect<Same<CreateUserRequest, api.CreateUserRequest>>,
  Expect<Same<UpdateUserRequest, api.UpdateUserRequest>>,
];
