import { AGENT_TOOLS, type AgentDefinition } from "@hive/shared/api-client";
import { DegradedModelPill } from "../status/degraded-pill";

/** A definition as facts: what model answers, with which tools, knowledge and guards. */
export function AgentFacts({ definition }: { definition: AgentDefinition }) {
  const d = definition;
  return (
    <dl className="facts">
      <dt>Model</dt>
      <dd>
        <code>
          {d.model.provider}:{d.model.id}
        </code>
        {d.model.provider === "offline" ? <DegradedModelPill /> : null}
        {d.fallback_models.length ? (
          <span className="muted"> then {d.fallback_models.map((m) => `${m.provider}:${m.id}`).join(", ")}</span>
        ) : null}
      </dd>
      <dt>Temperature</dt>
      <dd>{d.temperature}</dd>
      <dt>Max tokens</dt>
      <dd>
        {d.max_tokens} per call, {d.max_steps} calls per answer
      </dd>
      <dt>Tools</dt>
      <dd>
        {d.tools.length ? d.tools.map((t) => AGENT_TOOLS[t].label).join(", ") : <span className="muted">none</span>}
      </dd>
      <dt>Knowledge bases</dt>
      <dd>
        {d.knowledge_base_ids.length ? (
          d.knowledge_base_ids.map((id) => <code key={id}>{id} </code>)
        ) : (
          <span className="muted">none</span>
        )}
      </dd>
      <dt>Safety</dt>
      <dd>
        input {d.safety.input?.enabled === false ? "not checked" : "checked"}, output{" "}
        {d.safety.output?.enabled === false ? "not checked" : "checked"}
      </dd>
      <dt>System prompt</dt>
      <dd>{d.system_prompt ? <pre className="prompt">{d.system_prompt}</pre> : <span className="muted">none</span>}</dd>
    </dl>
  );
}
