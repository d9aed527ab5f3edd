// The case editor: the input (one message, or a conversation as JSON), what the answer should
// and should not contain, the sources it should cite, tags, and the tool calls and metadata as
// JSON. Fields the form does not show (a JSON schema, an expected number) are kept as they were.
import type { EvalCase, EvalCaseInput } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { CheckboxItem, labelled, SelectField, TextAreaField, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { submitted } from "../../ui/form-panel";
import { SubmitRow } from "../../ui/submit-row";

interface Draft {
  mode: "message" | "conversation";
  message: string;
  conversation: string;
  expected: string;
  must: string;
  mustNot: string;
  sources: string;
  tags: string;
  refusal: boolean;
  toolCalls: string;
  metadata: string;
}

type AreaKey = "message" | "conversation" | "expected" | "must" | "mustNot" | "sources" | "toolCalls" | "metadata";

const PATTERNS = "One per line; /pattern/flags for a regular expression";

/** A text area: the control's name, its label, the API's field path, its height and hint. */
interface Area {
  name: string;
  label: string;
  path: string;
  rows: number;
  hint?: string;
  required?: true;
}

const AREAS: Record<AreaKey, Area> = {
  message: { name: "message", label: "Message", path: "input.message", rows: 3, required: true },
  conversation: {
    name: "conversation",
    label: "Conversation",
    path: "input.messages",
    rows: 6,
    hint: '[{"role": "user", "content": "…"}, …], the last message the user\'s',
    required: true,
  },
  expected: { name: "expected", label: "Expected output", path: "expected_output", rows: 3 },
  must: { name: "must", label: "Must include", path: "must_include", rows: 3, hint: PATTERNS },
  mustNot: { name: "must-not", label: "Must not include", path: "must_not_include", rows: 3, hint: PATTERNS },
  sources: {
    name: "sources",
    label: "Expected sources",
    path: "expected_sources",
    rows: 3,
    hint: "Document names or ids, one per line, most relevant first",
  },
  toolCalls: {
    name: "tool-calls",
    label: "Expected tool calls (JSON)",
    path: "expected_tool_calls",
    rows: 4,
    hint: '[{"name": "calculator", "arguments": {"expression": "2+2"}}]',
  },
  metadata: { name: "metadata", label: "Metadata (JSON)", path: "metadata", rows: 4 },
};

/** The API's field paths the form shows next to their controls. */
const SHOWN = [...Object.values(AREAS).map((a) => a.path), "tags"];

const lines = (list: readonly string[] | undefined) => (list ?? []).join("\n");
const json = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));

function draftOf(c: EvalCaseInput | null): Draft {
  const input = c?.input ?? { message: "" };
  return {
    mode: "message" in input ? "message" : "conversation",
    message: "message" in input ? input.message : "",
    conversation: "messages" in input ? json(input.messages) : "",
    expected: c?.expected_output ?? "",
    must: lines(c?.must_include),
    mustNot: lines(c?.must_not_include),
    sources: lines(c?.expected_sources),
    tags: (c?.tags ?? []).join(", "),
    refusal: c?.expect_refusal ?? false,
    toolCalls: json(c?.expected_tool_calls),
    metadata: json(c?.metadata),
  };
}

/** A JSON field's value, or an error naming the field. */
function parsed(label: string, text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${label} is not valid JSON`);
  }
}

const list = (text: string, separator: RegExp) => {
  const items = text
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
};

function caseOf(d: Draft, base: EvalCaseInput | null): EvalCaseInput {
  const input =
    d.mode === "message"
      ? { message: d.message }
      : { messages: parsed("The conversation", d.conversation) as { role: "user" | "assistant"; content: string }[] };
  const fields: Partial<EvalCaseInput> = {
    expected_output: d.expected || undefined,
    must_include: list(d.must, /\n/),
    must_not_include: list(d.mustNot, /\n/),
    expected_sources: list(d.sources, /\n/),
    expected_tool_calls: parsed("Tool calls", d.toolCalls) as EvalCaseInput["expected_tool_calls"],
    json_schema: base?.json_schema,
    expected_number: base?.expected_number,
    expect_refusal: d.refusal || undefined,
    tags: list(d.tags, /,/),
    metadata: parsed("Metadata", d.metadata) as EvalCaseInput["metadata"],
  };
  const defined = Object.entries(fields).filter(([, v]) => v !== undefined);
  return { input, ...Object.fromEntries(defined) };
}

interface CaseEditorProps {
  datasetId: string;
  /** The case to edit; null for a new one. */
  original: EvalCase | null;
  onDone: () => void;
}

export function CaseEditor({ datasetId, original, onDone }: CaseEditorProps) {
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(original));
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      const body = caseOf(draft, original);
      return original
        ? api.evalDatasets.updateCase(datasetId, original.id, body)
        : api.evalDatasets.addCases(datasetId, [body]);
    },
    onSuccess: onDone,
    meta: { invalidates: [queryKeys.evalDatasets.all] },
  });
  const at = labelled(id, fieldErrors(save.error));
  const area = (key: AreaKey) => {
    const { name, label, path, ...shape } = AREAS[key];
    return <TextAreaField {...at(name, label, path)} {...shape} value={draft[key]} onValue={set(key)} />;
  };
  return (
    <form className="form" onSubmit={(e) => submitted(e, () => save.mutate())} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{original ? `Edit case ${original.case_key}` : "New case"}</h2>
      <SelectField {...at("mode", "Input")} value={draft.mode} onValue={(v) => set("mode")(v as Draft["mode"])}>
        <option value="message">One message</option>
        <option value="conversation">A conversation (JSON)</option>
      </SelectField>
      {draft.mode === "message" ? area("message") : area("conversation")}
      {area("expected")}
      <div className="field-row">
        {area("must")}
        {area("mustNot")}
      </div>
      <div className="field-row">
        {area("sources")}
        <TextField {...at("tags", "Tags")} hint="Comma-separated" value={draft.tags} onValue={set("tags")} />
      </div>
      <ul className="checkbox-list">
        <CheckboxItem checked={draft.refusal} onChecked={set("refusal")}>
          The answer should be refused or blocked
        </CheckboxItem>
      </ul>
      <div className="field-row">
        {area("toolCalls")}
        {area("metadata")}
      </div>
      <SubmitRow label={original ? "Save case" : "Add case"} busyLabel="Saving…" mutation={save} shown={SHOWN}>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      </SubmitRow>
    </form>
  );
}
