// Asserting on a promise that must fail: the error it rejects with, checked to be of the class a
// caller branches on (a promise that resolves fails the test).
import { expect } from "vitest";

export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}
