// Password storage: PBKDF2-SHA256 at exactly 100,000 iterations, salted per hash, peppered,
// in a self-describing string that verifies.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashPassword, PBKDF2_ITERATIONS, verifyAgainstDummy, verifyPassword } from "../../worker/auth/password";
import { createUser } from "./helpers/harness";

const pepper = env.PASSWORD_PEPPER;

describe("password hashing", () => {
  it("stores pbkdf2-sha256$v1$100000$salt$hash and verifies the right password only", async () => {
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    const stored = await hashPassword("correct horse battery staple", pepper);
    const [scheme, version, iterations, salt, hash] = stored.split("$");
    expect([scheme, version, iterations]).toEqual(["pbkdf2-sha256", "v1", "100000"]);
    expect(atob(salt ?? "")).toHaveLength(16);
    expect(atob(hash ?? "")).toHaveLength(32);
    expect(await verifyPassword("correct horse battery staple", stored, pepper)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored, pepper)).toBe(false);
  });

  it("salts every hash and depends on the pepper", async () => {
    const a = await hashPassword("same password here", pepper);
    const b = await hashPassword("same password here", pepper);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password here", a, "a-different-pepper-0123456789")).toBe(false);
  });

  it("refuses hashes with other parameters or a damaged encoding instead of throwing", async () => {
    const stored = await hashPassword("some password 123", pepper);
    const weaker = stored.replace("$100000$", "$1000$");
    for (const bad of [
      weaker,
      stored.replace("pbkdf2-sha256", "md5"),
      `${stored}$extra`,
      "pbkdf2-sha256$v1$100000$%%%$%%%",
      "",
    ]) {
      expect(await verifyPassword("some password 123", bad, pepper)).toBe(false);
    }
    expect(await verifyAgainstDummy("some password 123", pepper)).toBe(false);
  });

  it("stores users' passwords in that format", async () => {
    const u = await createUser();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(u.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$v1\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword(u.password, row?.password_hash ?? "", pepper)).toBe(true);
    const admin = await env.DB.prepare("SELECT password_hash FROM users WHERE email = ?")
      .bind(env.ADMIN_EMAIL)
      .first<{ password_hash: string }>();
    expect(admin?.password_hash).toContain("$100000$");
  });
});
