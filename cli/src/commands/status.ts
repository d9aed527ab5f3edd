// `hive status`: liveness and readiness of one deployment, for people and for scripts. Works
// signed out; with a saved login for the URL (or $HIVE_API_KEY) it asks /ready as that caller,
// so a platform admin also sees the providers and circuit breakers.
import { type HealthResponse, HiveApiError, HiveNetworkError, type ReadyReport } from "@hive/shared/api-client";
import { type Command, type CommandContext, EXIT } from "../command";
import { signedInClientIfAny } from "../credentials";
import { renderTable } from "../output/table";

type Overall = "healthy" | "degraded" | "unreachable";

interface StatusReport {
  url: string;
  status: Overall;
  health: HealthResponse | null;
  ready: ReadyReport | null;
  errors: { call: "health" | "ready"; code: string; message: string; request_id: string | null }[];
}

function describeError(call: "health" | "ready", err: unknown): StatusReport["errors"][number] {
  if (err instanceof HiveApiError) return { call, code: err.code, message: err.message, request_id: err.requestId };
  if (err instanceof HiveNetworkError) return { call, code: "UNREACHABLE", message: err.message, request_id: null };
  throw err;
}

async function readiness(ctx: CommandContext): Promise<ReadyReport> {
  const signedIn = signedInClientIfAny(ctx);
  if (!signedIn) return ctx.client.ready();
  try {
    return await signedIn.ready();
  } catch (err) {
    // A login that no longer works must not hide whether the deployment is ready.
    if (err instanceof HiveApiError && err.status === 401) return ctx.client.ready();
    throw err;
  }
}

async function collect(ctx: CommandContext): Promise<StatusReport> {
  const [health, ready] = await Promise.allSettled([ctx.client.health(), readiness(ctx)]);
  const errors: StatusReport["errors"] = [];
  if (health.status === "rejected") errors.push(describeError("health", health.reason));
  if (ready.status === "rejected") errors.push(describeError("ready", ready.reason));
  const unreachable = [health, ready].some((r) => r.status === "rejected" && r.reason instanceof HiveNetworkError);
  const okHealth = health.status === "fulfilled" ? health.value : null;
  const okReady = ready.status === "fulfilled" ? ready.value : null;
  const status: Overall = unreachable ? "unreachable" : okHealth && okReady?.ready ? "healthy" : "degraded";
  return { url: ctx.client.baseUrl, status, health: okHealth, ready: okReady, errors };
}

function print(ctx: CommandContext, report: StatusReport): void {
  const { out } = ctx;
  const badge = {
    healthy: out.style("green", "Healthy"),
    degraded: out.style("yellow", "Degraded"),
    unreachable: out.style("red", "Unreachable"),
  }[report.status];
  out.line(`${out.style("bold", "Liquid Hive")} at ${report.url}: ${badge}`);
  if (report.health) out.line(`environment ${report.health.environment}, server time ${report.health.time}`);
  if (report.ready) {
    const rows = Object.entries(report.ready.checks).map(([name, check]) => [
      name,
      check.ok ? out.style("green", "ok") : out.style("red", "failed"),
      `${check.latency_ms} ms`,
      check.error ?? "",
    ]);
    out.line();
    out.line(renderTable(["CHECK", "STATUS", "LATENCY", "ERROR"], rows));
  }
  const providers = report.ready?.providers;
  if (providers) {
    const model = providers.degraded ? `${providers.model} ${out.style("yellow", "(degraded)")}` : providers.model;
    const breakers = providers.breakers.map((b) => {
      const state = b.state === "closed" ? b.state : out.style(b.state === "open" ? "red" : "yellow", b.state);
      return `${b.name} ${state}${b.failures ? ` (${b.failures} failures)` : ""}`;
    });
    const safety = providers.safety.detectors.map((d) => `${d.id} (${d.sources.join("+")})`).join(", ");
    out.line();
    const rows = [
      ["model", model],
      ["embedder", providers.embedder],
      ["safety", safety],
      ["breakers", breakers.join(", ") || "none"],
    ];
    out.line(renderTable(["PROVIDER", "IN USE"], rows));
  } else if (report.ready?.ready) {
    out.line();
    out.line("Providers and circuit breakers are shown to platform admins: run 'hive login' as one.");
  }
  for (const e of report.errors) {
    out.error(`${e.call}: ${e.message}${e.request_id ? ` (request ${e.request_id})` : ""}`);
  }
}

export const status: Command = {
  name: "status",
  summary: "Show liveness (/health) and readiness (/ready) of the API",
  help: [
    "Exit codes:",
    "  0  healthy: /health and every /ready check answered ok",
    "  1  degraded: the API answered but is not ready",
    "  2  unreachable: no answer from --url",
  ].join("\n"),
  async run(ctx) {
    const report = await collect(ctx);
    if (ctx.out.json) ctx.out.data(report);
    else print(ctx, report);
    return { healthy: EXIT.OK, degraded: EXIT.FAILED, unreachable: EXIT.UNREACHABLE }[report.status];
  },
};
