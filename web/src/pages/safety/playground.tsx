// The guard on any text, as it would run at a stage (optionally with an agent's policy over the
// workspace's): the verdict, each finding highlighted in the text with its detector and action
// written out, the redacted text and the time the check took. Nothing is stored.

import {
  type SafetyCheckRequest,
  type SafetyCheckResponse,
  type SafetyStage,
  safetyStages,
} from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queries } from "../../api/queries";
import { labelled, TextAreaField } from "../../ui/controls";
import { DataTable } from "../../ui/data-table";
import { fieldErrors } from "../../ui/error-text";
import { ChoiceField } from "../../ui/field-choice";
import { submitted } from "../../ui/form-panel";
import { FormSection } from "../../ui/form-section";
import { SubmitRow } from "../../ui/submit-row";
import { findingText, highlightPieces } from "./highlights";
import { STAGE_TITLES } from "./policy-edit";

const AGENT_PARAMS = { limit: 100 };
const VERDICT_TONE = { allow: "tone-ok", flag: "tone-warn", redact: "tone-warn", block: "tone-bad" } as const;

export function Playground() {
  const id = useId();
  const [text, setText] = useState("");
  const [stage, setStage] = useState<SafetyStage>("input");
  const [agentId, setAgentId] = useState("");
  const agents = useQuery(queries.agents(AGENT_PARAMS));
  const check = useMutation({
    mutationFn: (body: SafetyCheckRequest) => api.safety.check(body).then((r) => ({ body, r })),
  });
  const fields = fieldErrors(check.error);
  const at = labelled(id, fields);

  return (
    <FormSection title="Playground">
      <form
        className="form"
        onSubmit={(event) =>
          submitted(event, () => check.mutate({ text, stage, ...(agentId ? { agent_id: agentId } : {}) }))
        }
        aria-label="Check a text"
      >
        <TextAreaField {...at("text", "Text")} rows={5} required value={text} onValue={setText} />
        <div className="field-row">
          <ChoiceField
            {...at("stage", "Stage")}
            choices={safetyStages()}
            option={(s) => [s, STAGE_TITLES[s]]}
            value={stage}
            onValue={(v) => setStage(v as SafetyStage)}
          />
          <ChoiceField
            {...at("agent", "Agent (optional)", "agent_id")}
            hint="Its own policy over the workspace's"
            none="Workspace policy only"
            choices={agents.data?.data}
            option={(a) => [a.id, a.definition.name]}
            value={agentId}
            onValue={setAgentId}
          />
        </div>
        <SubmitRow label="Check" busyLabel="Checking…" mutation={check} shown={["text", "stage", "agent_id"]} />
      </form>
      {check.data ? <CheckResult text={check.data.body.text} result={check.data.r} /> : null}
    </FormSection>
  );
}

function CheckResult({ text, result }: { text: string; result: SafetyCheckResponse }) {
  return (
    <div className="check-result" data-testid="check-result" aria-live="polite">
      <p>
        Verdict:{" "}
        <span className={`pill ${VERDICT_TONE[result.verdict]}`} data-testid="verdict">
          {result.verdict}
        </span>{" "}
        <span className="muted" data-testid="check-latency">
          checked in {result.latency_ms} ms
        </span>
      </p>
      <h3>Findings in the text</h3>
      {result.findings
        .filter((f) => f.start === undefined || f.end === undefined)
        .map((f, i) => (
          <p key={i} className="finding-whole" data-testid="whole-text-finding">
            <mark className="finding-mark">Whole text</mark> <small className="finding-tag">[{findingText(f)}]</small>
          </p>
        ))}
      <p className="highlighted-text" data-testid="highlighted-text">
        {highlightPieces(text, result.findings).map((piece, i) =>
          piece.findings.length ? (
            <mark key={i} className="finding-mark" data-testid="finding-mark">
              {piece.text}
              <small className="finding-tag">[{piece.findings.map(findingText).join("; ")}]</small>
            </mark>
          ) : (
            <span key={i}>{piece.text}</span>
          ),
        )}
      </p>
      {result.findings.length ? (
        <DataTable columns={["Detector", "Category", { label: "Score", num: true }, "Action", "Span"]}>
          {result.findings.map((f, i) => (
            <tr key={i} data-testid="finding-row">
              <th scope="row">{f.detector}</th>
              <td>{f.category}</td>
              <td className="num">{f.score.toFixed(2)}</td>
              <td>{f.action}</td>
              <td>{f.start !== undefined && f.end !== undefined ? `${f.start}–${f.end}` : "whole text"}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p className="muted">No findings.</p>
      )}
      {result.redacted_text !== undefined ? (
        <>
          <h3>Redacted text</h3>
          <pre className="redacted-text" data-testid="redacted-text">
            {result.redacted_text}
          </pre>
        </>
      ) : null}
    </div>
  );
}
