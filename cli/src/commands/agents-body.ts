// `hive agents create` flags (and --file agent.json) as the API's create request. Flags win
// over the file, so one definition file can be reused with a different name or model.
import { readFileSync } from "node:fs";
import {
  AGENT_TOOLS,
  type HiveClient,
  MODEL_PROVIDERS,
  type ModelProvider,
  type ModelSpec,
  modelProviders,
  type NewAgent,
  type ToolName,
  toolNames,
} from "@hive/shared/api-client";
import { CliError, EXIT, type OptionValues } from "../command";
import { byIdOrName, everyItem } from "../lookup";
import { integerOption, numberOption } from "../options";

const text = (v: OptionValues[string]) => (typeof v === "string" ? v : undefined);
const list = (v: OptionValues[string]) =>
  (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : [])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);

const isProvider = (p: string): p is ModelProvider => p in MODEL_PROVIDERS;

/** "offline", "workers-ai:@cf/meta/llama-3.1-8b-instruct", "scripted:40:50": provider, then the model id. */
export function parseModel(spec: string): ModelSpec {
  const colon = spec.indexOf(":");
  const provider = colon === -1 ? spec : spec.slice(0, colon);
  if (!isProvider(provider))
    throw new CliError(`--model: unknown provider '${provider}' (${modelProviders().join(", ")})`, EXIT.USAGE);
  const id = colon === -1 ? MODEL_PROVIDERS[provider].defaultModel : spec.slice(colon + 1);
  return { provider, id };
}

function parseTools(values: string[]): ToolName[] {
  const unknown = values.filter((t) => !(t in AGENT_TOOLS));
  if (unknown.length)
    throw new CliError(`--tool: unknown ${unknown.join(", ")} (${toolNames().join(", ")})`, EXIT.USAGE);
  return values as ToolName[];
}

/** A JSON object read from the file a flag names (`what` says what it should hold); a usage error otherwise. */
export function readJsonObject(path: string, flag: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new CliError(`--${flag} ${path}: ${err instanceof Error ? err.message : String(err)}`, EXIT.USAGE);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new CliError(`--${flag} ${path}: expected a JSON object with ${what}`, EXIT.USAGE);
  return parsed as Record<string, unknown>;
}

export async function createBody(client: HiveClient, values: OptionValues): Promise<NewAgent> {
  const file = text(values.file);
  const body: Record<string, unknown> = file ? readJsonObject(file, "file", "the agent's fields") : {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) body[key] = value;
  };
  set("name", text(values.name));
  set("description", text(values.description));
  set("system_prompt", text(values["system-prompt"]));
  const model = text(values.model);
  set("model", model ? parseModel(model) : undefined);
  set("temperature", numberOption(values, "temperature"));
  set("max_tokens", integerOption(values, "max-tokens"));
  set("max_steps", integerOption(values, "max-steps"));
  const tools = list(values.tool);
  set("tools", tools.length ? parseTools(tools) : undefined);
  const kbs = list(values.kb);
  if (kbs.length) {
    // Knowledge bases by id or by name, looked up once.
    const all = kbs.some((k) => !k.startsWith("kb_")) ? everyItem(client.knowledge) : Promise.resolve([]);
    set(
      "knowledge_base_ids",
      await Promise.all(
        kbs.map(async (k) => (await byIdOrName("knowledge base", "kb_", client.knowledge, k, () => all)).id),
      ),
    );
  }
  if (values.private === true) body.visibility = "private";
  if (values["allow-system-override"] === true) body.allow_system_override = true;
  if (typeof body.name !== "string" || !body.name.trim())
    throw new CliError('--name is required (or a "name" in --file)', EXIT.USAGE);
  // The API validates every field and names the wrong ones; the CLI only shapes the request.
  return body as NewAgent;
}
