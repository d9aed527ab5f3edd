// Schema-driven fuzzing of every route (test/worker/helpers/fuzz), part 3 of 3 (2,100 requests
// in all, split so each file stays well under a minute): valid, boundary and malformed bodies
// in every content type, hostile path and query values, with and without credentials. No
// answer may be a 5xx, and every non-2xx must be the error envelope.
import { describe, it } from "vitest";
import { fuzzAndCheck } from "./helpers/fuzz/suite";

describe("fuzzing the API from its OpenAPI document (seed 13743)", () => {
  it(
    "answers 700 seeded requests with no 5xx and the envelope on every failure",
    () => fuzzAndCheck(13743, 700),
    480_000,
  );
});
