import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { ChatEvent, ConversationDetail } from "@hive/shared/api-types";
import { fakeHiveSuite } from "./helpers/fake-hive-suite";
import { killLeftovers, startHive } from "./helpers/live-hive";
import { runHive } from "./helpers/run-hive";
import { runHiveOnTty } from "./helpers/run-hive-tty";

const start: ChatEvent = {
  type: "start",
  conversation_id: "conv_fake",
  message_id: "msg_1",
  agent_id: "agt_helpdesk",
  agent_version: 1,
  resumed: false,
};
const usage = (degraded: boolean, fallback?: Extract<ChatEvent, { type: "usage" }>["fallback"]): ChatEvent => ({
  type: "usage",
  tokens_in: 12,
  tokens_out: 8,
  latency_ms: 5,
  model: "offline:offline",
  degraded,
  ...(fallback ? { fallback } : {}),
});
const done = (degraded: boolean): ChatEvent => ({
  type: "done",
  reason: "stop",
  message_id: "msg_1",
  degraded,
  pending_approvals: [],
});
const tokens = (...deltas: string[]): ChatEvent[] => deltas.map((delta) => ({ type: "token", delta }));
const citation = (
  passage: string,
  marker: number,
  name: string,
  quote: string,
  at: number,
): Extract<ChatEvent, { type: "citation" }> => ({
  type: "citation",
  passage_id: passage,
  marker,
  document_id: `doc_${passage}`,
  document_name: name,
  knowledge_base_id: "kb_handbook",
  snippet: { text: quote, start_offset: at, end_offset: at + quote.length },
});

/** The open conversation conv_fake, its http_get of example.com waiting for approval. */
const awaitingApproval = (title: string, call_id: string): ConversationDetail => ({
  id: "conv_fake",
  agent_id: "agt_helpdesk",
  agent_version: 1,
  title,
  status: "awaiting_approval",
  created_at: "2026-01-01T12:00:00.000Z",
  updated_at: "2026-01-01T12:00:00.000Z",
  live_status: "awaiting_approval",
  pending_approvals: [{ call_id, name: "http_get", arguments: '{"url":"https://example.com"}', message_id: "msg_1" }],
  messages: { data: [], next_cursor: null },
});

/** A gate the test opens when it has seen what it waited for. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("hive chat", { timeout: 120_000 }, () => {
  const fake = fakeHiveSuite("chat");
  const env = fake.env;

  after(killLeftovers);

  test("--message streams tokens to stdout as they arrive; sources, usage and 'degraded' go to stderr", async () => {
    const held = gate();
    fake.api.chat = {
      events: [start, ...tokens("The printer", " is on")],
      gate: held.promise,
      rest: [
        ...tokens(' the second floor: "The printer is on the second floor." [2]'),
        citation("chk_handbook_1", 2, "handbook.md", "The printer is on the second floor.", 120),
        usage(true),
        done(true),
      ],
    };
    const hive = startHive(["chat", "Helpdesk", "--message", "Where is the printer?"], env());
    // The first tokens are on screen while the server still holds the rest of the answer back.
    await hive.waitFor(/^The printer is on$/);
    assert.equal(hive.running(), true);
    held.open();
    assert.equal(await hive.exited, 0, hive.stderr());
    assert.equal(hive.stdout(), 'The printer is on the second floor: "The printer is on the second floor." [2]\n');
    // Numbered like the answer's marker, naming the document and the quoted range.
    assert.match(
      hive.stderr(),
      /^sources:\n {2}\[2\] handbook\.md \(doc_chk_handbook_1, chars 120-155\): "The printer is on the second floor\."$/m,
    );
    assert.match(hive.stderr(), /^\[degraded · offline:offline · 12 tokens in, 8 out, 5 ms\]$/m);
    assert.deepEqual(fake.api.bodies.get("POST /api/agents/agt_helpdesk/chat"), [{ message: "Where is the printer?" }]);
  });

  test("tool calls and their results are printed; an answer waiting for approval says how to continue (exit 1)", async () => {
    fake.api.chat = {
      events: [
        start,
        ...tokens("Checking."),
        {
          type: "tool_call",
          call_id: "call_1",
          name: "calculator",
          arguments: '{"expression":"6*7"}',
          side_effects: false,
        },
        { type: "tool_result", call_id: "call_1", name: "calculator", status: "ok", content: "42" },
        {
          type: "tool_call",
          call_id: "call_2",
          name: "http_get",
          arguments: '{"url":"https://example.com"}',
          side_effects: true,
        },
        { type: "approval_required", call_id: "call_2", name: "http_get", arguments: '{"url":"https://example.com"}' },
        usage(false),
        {
          type: "done",
          reason: "awaiting_approval",
          message_id: "msg_1",
          degraded: false,
          pending_approvals: ["call_2"],
        },
      ],
    };
    const run = await runHive(["chat", "agt_helpdesk", "-m", "What is 6*7, and is example.com up?"], env());
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "Checking.\n");
    assert.match(run.stderr, /^\[tool\] calculator \{"expression":"6\*7"\}$/m);
    assert.match(run.stderr, /^\[tool\] calculator ok: 42$/m);
    assert.match(run.stderr, /^\[approval\] http_get waits for your approval$/m);
    assert.match(
      run.stderr,
      /http_get waits for approval: continue with 'hive chat agt_helpdesk --conversation conv_fake' to approve or deny\./,
    );
    assert.doesNotMatch(run.stderr, /degraded/);
  });

  test("--json prints the answer with its citations, tool calls and usage as one document", async () => {
    const cited = citation("chk_faq_0", 1, "faq.md", "Lunch is from noon to two.", 0);
    fake.api.chat = { events: [start, ...tokens("Noon", " to two."), cited, usage(true), done(true)] };
    const run = await runHive(["chat", "Helpdesk", "--message", "When is lunch?", "--json"], env());
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      conversation_id: "conv_fake",
      answer: "Noon to two.",
      reason: "stop",
      degraded: true,
      fallback: null,
      citations: [
        {
          passage_id: "chk_faq_0",
          marker: 1,
          document_id: "doc_chk_faq_0",
          document_name: "faq.md",
          knowledge_base_id: "kb_handbook",
          snippet: { text: "Lunch is from noon to two.", start_offset: 0, end_offset: 26 },
        },
      ],
      tool_calls: [],
      pending_approvals: [],
      usage: { tokens_in: 12, tokens_out: 8, latency_ms: 5, model: "offline:offline" },
      error: null,
    });
    assert.equal(run.stderr, "");
  });

  test("a degraded answer says why: which configured model failed and how, or that none is configured", async () => {
    const fallback = { reason: "model_failed", model: "openai-compatible:llama3.1", status: 500 } as const;
    fake.api.chat = { events: [start, ...tokens("The agent's model failed."), usage(true, fallback), done(true)] };
    const run = await runHive(["chat", "Helpdesk", "-m", "hello"], env());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^\[degraded: openai-compatible:llama3\.1 failed \(HTTP 500\) · offline:offline · /m);
    const json = await runHive(["chat", "Helpdesk", "-m", "hello", "--json"], env());
    assert.deepEqual(JSON.parse(json.stdout).fallback, fallback);

    // Cut mid-answer and finished by the next model: where it switched.
    const cut = { reason: "timeout", model: "openai-compatible:llama3.1", switched_at: 42 } as const;
    fake.api.chat = { events: [start, ...tokens("Half an answer, then more."), usage(true, cut), done(true)] };
    const switched = await runHive(["chat", "Helpdesk", "-m", "hello"], env());
    assert.match(
      switched.stderr,
      /^\[degraded: openai-compatible:llama3\.1 timed out mid-answer, continued from character 42 · offline:offline · /m,
    );

    fake.api.chat = { events: [start, ...tokens("No model."), usage(true, { reason: "no_model" }), done(true)] };
    const alone = await runHive(["chat", "Helpdesk", "-m", "hello"], env());
    assert.match(alone.stderr, /^\[degraded: no model configured · offline:offline · /m);
  });

  test("an error event fails the command with the API's message", async () => {
    fake.api.chat = {
      events: [
        start,
        {
          type: "error",
          code: "MODEL_UNAVAILABLE",
          message: "No model could answer right now; try again later",
          message_id: "msg_1",
        },
      ],
    };
    const run = await runHive(["chat", "Helpdesk", "-m", "hello"], env());
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: MODEL_UNAVAILABLE: No model could answer right now; try again later$/m);
  });

  test("interactive: Ctrl-C stops the answer through the API, the chat goes on, /exit quits", async () => {
    const held = gate();
    fake.api.chat = {
      events: [start, ...tokens("tok0", " tok1")],
      gate: held.promise,
      rest: [...tokens(" never shown"), done(false)],
    };
    const hive = startHive(["chat", "Helpdesk"], env());
    await hive.waitFor(/Ctrl-C stops an answer; \/exit quits\./, "stderr");
    hive.write("Count for me\n");
    await hive.waitFor(/tok0 tok1/);
    hive.interrupt();
    await hive.waitFor(/\[stopping…\][\s\S]*· stopped\]/, "stderr");
    assert.equal(hive.running(), true, "Ctrl-C stopped the answer, not the chat");
    assert.ok(fake.api.requests.includes("POST /api/conversations/conv_fake/cancel"));

    // The next message continues the same conversation.
    fake.api.chat = { events: [start, ...tokens("Done."), usage(false), done(false)] };
    hive.write("Thanks\n");
    await hive.waitFor(/Done\.\n/);
    hive.write("/exit\n");
    assert.equal(await hive.exited, 0, hive.stderr());
    assert.doesNotMatch(hive.stdout(), /never shown/);
    // The conversation was opened ahead, while the first message was typed, and both went to it.
    assert.deepEqual(fake.api.bodies.get("POST /api/agents/agt_helpdesk/conversations"), [{}]);
    assert.deepEqual(fake.api.bodies.get("POST /api/agents/agt_helpdesk/chat"), [
      { message: "Count for me", conversation_id: "conv_fake" },
      { message: "Thanks", conversation_id: "conv_fake" },
    ]);
    assert.ok(!fake.api.requests.includes("DELETE /api/conversations/conv_fake"), "a used conversation is kept");
    held.open();
  });

  test("interactive: a conversation opened ahead and never written in is deleted on /exit", async () => {
    const hive = startHive(["chat", "Helpdesk"], env());
    await hive.waitFor(/Ctrl-C stops an answer; \/exit quits\./, "stderr");
    hive.write("/exit\n");
    assert.equal(await hive.exited, 0, hive.stderr());
    const opened = fake.api.requests.indexOf("POST /api/agents/agt_helpdesk/conversations");
    assert.ok(opened >= 0, "opened ahead");
    assert.ok(fake.api.requests.indexOf("DELETE /api/conversations/conv_fake") > opened, "and deleted unused");
    assert.equal(fake.api.bodies.get("POST /api/agents/agt_helpdesk/chat"), undefined);
  });

  test("interactive on a terminal: prompt, streamed answer, Ctrl-C, and /exit", async () => {
    const held = gate();
    fake.api.chat = {
      events: [start, ...tokens("Let me count: one")],
      gate: held.promise,
      rest: [...tokens(" two"), done(false)],
    };
    const run = await runHiveOnTty(["chat", "Helpdesk"], env(), [
      { prompt: /you> $/, type: "Count slowly\r" },
      { prompt: /Let me count: one/, type: "\u0003" },
      { prompt: /stopped\][\s\S]*you> $/, type: "/exit\r" },
    ]);
    held.open();
    assert.equal(run.code, 0, run.screen);
    assert.match(run.screen, /\[stopping…\]/);
    assert.doesNotMatch(run.screen, /one two/);
  });

  test("a tool call waiting for approval in an open conversation is asked about first", async () => {
    fake.api.conversation = awaitingApproval("Is example.com up?", "call_2");
    const hive = startHive(["chat", "Helpdesk", "--conversation", "conv_fake"], env());
    await hive.waitFor(/Run http_get \{"url":"https:\/\/example\.com"\}\? \[y\/N\] $/, "stderr");
    fake.api.chat = {
      events: [
        { ...start, resumed: true },
        {
          type: "tool_result",
          call_id: "call_2",
          name: "http_get",
          status: "denied",
          content: "The user denied this tool call.",
        },
        ...tokens("Understood, I will not fetch it."),
        usage(false),
        done(false),
      ],
    };
    hive.write("n\n");
    await hive.waitFor(/^Understood, I will not fetch it\.\n$/m);
    assert.match(hive.stderr(), /^Continuing "Is example\.com up\?" \(conv_fake\)\.$/m);
    assert.match(hive.stderr(), /^\[tool\] http_get denied: The user denied this tool call\.$/m);
    hive.write("/exit\n");
    assert.equal(await hive.exited, 0, hive.stderr());
    assert.deepEqual(fake.api.bodies.get("POST /api/conversations/conv_fake/approvals/call_2"), [{ decision: "deny" }]);
  });

  test("a connection dropped mid-answer prints one line saying where the answer is, and exits 2", async () => {
    fake.api.chat = { events: [start, ...tokens("Half an ans")], drop: true };
    const run = await runHive(["chat", "Helpdesk", "--message", "Tell me everything"], env());
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /^hive: connection lost; the answer continues on the server: hive chat Helpdesk --conversation conv_fake to see it$/m,
    );
    assert.doesNotMatch(run.stderr, /TypeError|UND_ERR| {4}at /);
  });

  test("on a terminal the approval question is shown; Ctrl-C there exits 130 and says how to continue", async () => {
    fake.api.conversation = awaitingApproval("Fetch it", "call_3");
    const run = await runHiveOnTty(["chat", "Helpdesk", "--conversation", "conv_fake"], env(), [
      { prompt: /Run http_get \{"url":"https:\/\/example\.com"\}\? \[y\/N\] $/, type: "\u0003" },
    ]);
    assert.equal(run.code, 130, run.screen);
    assert.match(
      run.screen,
      /http_get still waits for approval: continue with 'hive chat Helpdesk --conversation conv_fake' to approve or deny\./,
    );
    assert.equal(fake.api.bodies.get("POST /api/conversations/conv_fake/approvals/call_3"), undefined);
  });

  test("Ctrl-C at an idle prompt exits 130", async () => {
    const run = await runHiveOnTty(["chat", "Helpdesk"], env(), [{ prompt: /you> $/, type: "\u0003" }]);
    assert.equal(run.code, 130, run.screen);
  });

  test("usage errors exit 64", async () => {
    for (const [args, message] of [
      [["chat"], /usage: hive chat <agent id or name>/],
      [["chat", "Helpdesk", "--message", "  "], /--message must not be empty/],
    ] as const) {
      const run = await runHive([...args], env());
      assert.equal(run.code, 64, args.join(" "));
      assert.match(run.stderr, message);
    }
    // With --json the error is a JSON object on stdout, with the same exit code.
    const json = await runHive(["chat", "Helpdesk", "--json"], env());
    assert.equal(json.code, 64);
    assert.equal(json.stderr, "");
    assert.deepEqual(JSON.parse(json.stdout), {
      error: {
        code: "USAGE",
        message: "--json needs --message (the interactive chat is for people)",
        request_id: null,
      },
    });
  });
});
