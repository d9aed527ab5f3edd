// /evals: where evaluation starts. Datasets hold the cases; runs score an agent over one.
import { Page } from "../../layout/page";
import { Link } from "../../router/link";

export function EvalsPage() {
  return (
    <Page
      title="Evaluations"
      lead="Know whether a new prompt, model, knowledge base or safety policy made an agent better or worse."
    >
      <section className="panel" aria-labelledby="evals-datasets">
        <h2 id="evals-datasets">
          <Link to="/evals/datasets">Datasets</Link>
        </h2>
        <p className="muted">
          Versioned sets of cases: an input, and what the answer should (and should not) contain, cite and call. Write
          them here, import and export JSONL, or add any conversation as a case.
        </p>
      </section>
      <section className="panel" aria-labelledby="evals-runs">
        <h2 id="evals-runs">
          <Link to="/evals/runs">Runs</Link>
        </h2>
        <p className="muted">
          Run an agent version over a dataset, follow it live, read each case's scores, and compare two runs to catch
          regressions.
        </p>
      </section>
    </Page>
  );
}
