import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { VectorIndexError, type VectorIndexErrorCode } from "../../worker/core/providers/errors";
import { LocalVectorIndex } from "../../worker/core/providers/local-vector-index";
import type { VectorFilterOp, VectorMetadata } from "../../worker/core/providers/types";
import { rejectionOf } from "./helpers/rejections";

const index = () => new LocalVectorIndex(env.VECTOR_INDEX);
let counter = 0;
const freshNamespace = () => `error-${counter++}-${Date.now()}`;

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, VectorIndexError);

const expectCode = async (promise: Promise<unknown>, code: VectorIndexErrorCode, message?: RegExp) => {
  const err = await rejection(promise);
  expect(err.code).toBe(code);
  if (message) expect(err.message).toMatch(message);
};

describe("vector index input errors", () => {
  it("rejects an upsert of the wrong dimension with a clear message, writing nothing", async () => {
    const ns = freshNamespace();
    await index().upsert([{ id: "a", values: [1, 2, 3], namespace: ns }]);
    await expectCode(
      index().upsert([
        { id: "b", values: [1, 2, 3], namespace: ns },
        { id: "c", values: [1, 2], namespace: ns },
      ]),
      "dimension_mismatch",
      /vector c has 2 dimensions; this index holds 3-dimensional vectors/,
    );
    // The valid vector of the rejected batch was not written either.
    expect(await env.VECTOR_INDEX.getByName(ns).describe()).toEqual({ count: 1, dimensions: 3 });
  });

  it("rejects a first batch whose vectors disagree on dimension", async () => {
    const ns = freshNamespace();
    await expectCode(
      index().upsert([
        { id: "a", values: [1, 2, 3, 4], namespace: ns },
        { id: "b", values: [1, 2, 3], namespace: ns },
      ]),
      "dimension_mismatch",
    );
    expect(await env.VECTOR_INDEX.getByName(ns).describe()).toEqual({ count: 0, dimensions: null });
  });

  it("rejects a query of the wrong dimension", async () => {
    const ns = freshNamespace();
    await index().upsert([{ id: "a", values: [1, 0], namespace: ns }]);
    await expectCode(
      index().query([1, 0, 0], { namespace: ns }),
      "dimension_mismatch",
      /query vector has 3 dimensions/,
    );
  });

  it("rejects bad ids, values and namespaces", async () => {
    const ns = freshNamespace();
    await expectCode(index().upsert([{ id: "", values: [1], namespace: ns }]), "invalid_id");
    await expectCode(index().upsert([{ id: "x".repeat(65), values: [1], namespace: ns }]), "invalid_id");
    await expectCode(
      index().upsert([{ id: "nan", values: [1, Number.NaN], namespace: ns }]),
      "invalid_vector",
      /non-finite value at position 1/,
    );
    await expectCode(index().upsert([{ id: "inf", values: [Infinity], namespace: ns }]), "invalid_vector");
    await expectCode(index().upsert([{ id: "empty", values: [], namespace: ns }]), "invalid_vector");
    await expectCode(
      index().upsert([{ id: "huge", values: new Array<number>(1537).fill(0), namespace: ns }]),
      "invalid_vector",
    );
    await expectCode(index().upsert([{ id: "a", values: [1], namespace: "n".repeat(65) }]), "invalid_namespace");
    await expectCode(index().query([1], { namespace: "" }), "invalid_namespace");
    await expectCode(index().deleteByIds([""], ns), "invalid_id");
  });

  it("rejects metadata that is not flat scalars or exceeds 10 KiB", async () => {
    const ns = freshNamespace();
    const nested = { tags: ["a", "b"] } as unknown as VectorMetadata;
    await expectCode(
      index().upsert([{ id: "a", values: [1], namespace: ns, metadata: nested }]),
      "invalid_metadata",
      /"tags"/,
    );
    await expectCode(
      index().upsert([{ id: "a", values: [1], namespace: ns, metadata: { big: "x".repeat(10_241) } }]),
      "invalid_metadata",
      /exceeds/,
    );
  });

  it("rejects filters with unknown operators or malformed operands", async () => {
    const ns = freshNamespace();
    await index().upsert([{ id: "a", values: [1], namespace: ns, metadata: { k: "v" } }]);
    const query = (filter: Record<string, unknown>) =>
      index().query([1], { namespace: ns, filter: filter as Record<string, VectorFilterOp> });
    await expectCode(query({ k: { $regex: "v.*" } }), "invalid_filter", /unsupported operator \$regex/);
    await expectCode(query({ k: { $in: "v" } }), "invalid_filter", /\$in needs an array/);
    await expectCode(query({ k: { $gt: true } }), "invalid_filter");
    await expectCode(query({ k: {} }), "invalid_filter", /empty/);
    await expectCode(query({ k: ["v"] }), "invalid_filter");
  });

  it("rebuilds the error class from a direct Durable Object call's message", async () => {
    const stub = env.VECTOR_INDEX.getByName(freshNamespace());
    await stub.upsert([{ id: "a", values: [1, 2] }]);
    const raw = await stub.query([1], {}).catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(Error);
    const rebuilt = VectorIndexError.fromRemote(raw);
    expect(rebuilt?.code).toBe("dimension_mismatch");
    expect(VectorIndexError.fromRemote(new Error("[not_a_code] x"))).toBeUndefined();
    expect(VectorIndexError.fromRemote("just a string")).toBeUndefined();
  });
});
