// The protocol's one gate (parseSwarmMessage) and the choice reader: well-formed v1 messages
// of every type pass; unknown types, other versions, broken JSON and bad fields are rejected
// with an error that says which; agents' choices are read from free text or refused.

import {
  MAX_MESSAGE_BYTES,
  MESSAGE_TYPES,
  parseSwarmMessage,
  type SwarmMessageInput,
} from "@hive/shared/swarm-protocol";
import { describe, expect, it } from "vitest";
import { interpret, parseChoice } from "../../worker/swarm/choices";
import type { ChoiceSpec } from "../../worker/swarm/strategies/types";

const base = { v: 1, run_id: "run_1", seq: 3, at: "2026-01-01T00:00:00.000Z" } as const;
const ref = { step: 2, agent_id: "agt_a", role: "worker", round: 0 } as const;

const samples: SwarmMessageInput[] = [
  { ...base, type: "task", strategy: "pipeline", task: "t", agents: [{ id: "agt_a", name: "A", version: 1 }] },
  { ...base, type: "assignment", ...ref, attempt: 1, input: "Task: t" },
  { ...base, type: "progress", step: null, note: "round 1 of 2", tokens_used: 0, steps_used: 0 },
  {
    ...base,
    type: "result",
    final: false,
    ...ref,
    status: "succeeded",
    output: "x",
    tokens_in: 1,
    tokens_out: 2,
    latency_ms: 5,
    model: "scripted:1",
    degraded: false,
  },
  {
    ...base,
    type: "result",
    final: true,
    status: "timed_out",
    reason: "the deadline passed",
    output: null,
    tokens_used: 3,
    steps_used: 1,
  },
  { ...base, type: "proposal", ...ref, role: "proposer", round: 1, index: 1, text: "plan" },
  { ...base, type: "vote", ...ref, role: "voter", choice: null },
  { ...base, type: "handoff", step: 2, from: "agt_a", to: "agt_b", note: "over to you" },
  { ...base, type: "cancel", reason: "cancelled by usr_1", by: "usr_1" },
  { ...base, type: "heartbeat" },
  { ...base, type: "error", code: "STEP_FAILED", message: "no answer" },
];

describe("parseSwarmMessage", () => {
  it("accepts one well-formed message of every type, as JSON text and as bytes", () => {
    expect(new Set(samples.map((s) => s.type))).toEqual(new Set(MESSAGE_TYPES));
    for (const sample of samples) {
      const text = JSON.stringify(sample);
      expect(parseSwarmMessage(text), sample.type).toMatchObject({ ok: true, message: sample });
      expect(parseSwarmMessage(new TextEncoder().encode(text).buffer), sample.type).toMatchObject({ ok: true });
    }
  });

  it("fills in seq and at when a sender leaves them out", () => {
    const r = parseSwarmMessage({ v: 1, type: "heartbeat", run_id: "run_1" });
    expect(r.ok && r.message.seq).toBe(0);
    expect(r.ok && !Number.isNaN(Date.parse(r.message.at))).toBe(true);
  });

  it("rejects an unknown type, listing the known ones", () => {
    const r = parseSwarmMessage({ ...base, type: "gossip" });
    expect(r).toEqual({
      ok: false,
      error: {
        code: "UNKNOWN_TYPE",
        message: `unknown message type "gossip"; expected one of ${MESSAGE_TYPES.join(", ")}`,
        issues: [],
      },
    });
    expect(parseSwarmMessage({ v: 1, run_id: "run_1" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_TYPE" } });
  });

  it("rejects other protocol versions and messages without one", () => {
    expect(parseSwarmMessage({ ...base, v: 2, type: "heartbeat" })).toMatchObject({
      ok: false,
      error: { code: "UNSUPPORTED_VERSION", message: "unsupported protocol version 2; this coordinator speaks v1" },
    });
    expect(parseSwarmMessage({ type: "heartbeat", run_id: "run_1" })).toMatchObject({
      ok: false,
      error: { code: "UNSUPPORTED_VERSION" },
    });
  });

  it("rejects what is not a JSON object, and frames over the size limit", () => {
    for (const raw of ["{not json", "[1,2]", "42", "null", "x".repeat(MAX_MESSAGE_BYTES + 1)]) {
      expect(parseSwarmMessage(raw), raw.slice(0, 10)).toMatchObject({ ok: false, error: { code: "MALFORMED" } });
    }
  });

  it("rejects bad fields of a known type, naming each", () => {
    const r = parseSwarmMessage({ ...base, type: "vote", step: -1, agent_id: "agt_a", role: "dictator", round: 0 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("INVALID_FIELDS");
    expect(r.error.issues.map((i) => i.path).sort()).toEqual(["choice", "role", "step"]);
    expect(r.error.message).toMatch(/^invalid vote message: /);
    const final = parseSwarmMessage({
      ...base,
      type: "result",
      final: true,
      status: "running",
      reason: "r",
      output: null,
      tokens_used: 0,
      steps_used: 0,
    });
    expect(final).toMatchObject({ ok: false, error: { code: "INVALID_FIELDS" } });
  });
});

const specialists: ChoiceSpec = {
  keyword: "ROUTE",
  required: true,
  candidates: [
    { id: "agt_billing1", name: "Billing", label: 1 },
    { id: "agt_tech2", name: "Tech Support", label: 2 },
  ],
};

describe("reading choices", () => {
  it.each([
    ["ROUTE: agt_tech2", "agt_tech2"],
    ["Thinking...\n**ROUTE:** 2", "agt_tech2"],
    ['route = "Tech Support".', "agt_tech2"],
    ["ROUTE: [1]", "agt_billing1"],
    ["ROUTE: agt_billing1\nactually\nROUTE: agt_tech2", "agt_tech2"],
    ["Clearly a job for agt_billing1 here.", "agt_billing1"],
  ])("reads %j", (output, expected) => {
    const r = parseChoice(output, specialists);
    expect(r.kind === "chosen" && r.candidate.id).toBe(expected);
  });

  it("refuses a choice of no candidate, or of several, as an invalid step", () => {
    expect(parseChoice("ROUTE: agt_sales9", specialists)).toEqual({ kind: "unknown", value: "agt_sales9" });
    expect(parseChoice("either agt_billing1 or agt_tech2", specialists)).toEqual({ kind: "none" });
    expect(interpret("ROUTE: 3", specialists)).toEqual({
      status: "invalid",
      choice: null,
      error: 'invalid route choice: "3" is not one of 1 (agt_billing1), 2 (agt_tech2)',
    });
  });

  it("treats a missing HANDOFF line as no handoff, not as an error", () => {
    const handoff: ChoiceSpec = { ...specialists, keyword: "HANDOFF", required: false };
    expect(interpret("Done; agt_tech2 could have helped.", handoff)).toEqual({
      status: "succeeded",
      choice: null,
      error: null,
    });
    expect(interpret("HANDOFF: Billing", handoff)).toEqual({
      status: "succeeded",
      choice: "agt_billing1",
      error: null,
    });
    expect(interpret("HANDOFF: nobody", handoff).status).toBe("invalid");
  });
});
