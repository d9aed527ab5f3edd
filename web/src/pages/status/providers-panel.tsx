import type { ReadyProviders } from "@hive/shared/api-client";
import { DegradedModelPill } from "./degraded-pill";

const BREAKER_TONE = { closed: "tone-ok", half_open: "tone-warn", open: "tone-bad" } as const;

/** Which model and embedder answer, and the circuit breakers guarding them (from /ready). */
export function ProvidersPanel({ providers }: { providers: ReadyProviders }) {
  return (
    <section className="panel" aria-labelledby="providers-heading">
      <h2 id="providers-heading">Providers</h2>
      <dl className="facts">
        <dt>Model</dt>
        <dd data-testid="provider-model">
          {providers.model} {providers.degraded ? <DegradedModelPill /> : null}
        </dd>
        <dt>Embedder</dt>
        <dd>{providers.embedder}</dd>
        <dt>Circuit breakers</dt>
        <dd>
          {providers.breakers.length === 0 ? (
            <span className="muted">none tripped in this isolate</span>
          ) : (
            <ul className="breakers">
              {providers.breakers.map((b) => (
                <li key={b.name}>
                  {b.name} <span className={`pill ${BREAKER_TONE[b.state]}`}>{b.state.replace("_", " ")}</span>
                  {b.failures > 0 ? <span className="muted"> · {b.failures} failures</span> : null}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
