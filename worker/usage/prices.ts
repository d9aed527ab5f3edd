// What a model call costs: a default price table in code (public list prices per million tokens;
// Workers AI in neurons, billed at $0.011 per 1,000), overridden per provider and model by rows a
// platform admin keeps in `model_prices`. The rows are cached per isolate for a short while, so
// pricing a call is no D1 read; an admin's change reaches other isolates within the TTL. A model
// in neither table costs 0 and is reported as unpriced.
import type { ModelPrice } from "@hive/shared/api-types/usage";
import type { Database } from "../core/db";
import { modelPrices } from "../core/db/schema";
import { IsolateCache } from "../core/isolate-cache";
import type { Usage } from "../core/providers/types";

/** Cloudflare's price of Workers AI: $0.011 per 1,000 neurons. */
export const USD_PER_NEURON = 0.011 / 1000;
/** A price row for every model of a provider. */
export const ANY_MODEL = "*";
const PRICE_TTL_SECONDS = 30;

export interface Price {
  inputUsdPerMtok: number;
  outputUsdPerMtok: number;
  inputNeuronsPerMtok: number | null;
  outputNeuronsPerMtok: number | null;
}

const usd = (inputUsdPerMtok: number, outputUsdPerMtok: number): Price => ({
  inputUsdPerMtok,
  outputUsdPerMtok,
  inputNeuronsPerMtok: null,
  outputNeuronsPerMtok: null,
});
const neurons = (input: number, output: number): Price => ({
  inputUsdPerMtok: input * USD_PER_NEURON,
  outputUsdPerMtok: output * USD_PER_NEURON,
  inputNeuronsPerMtok: input,
  outputNeuronsPerMtok: output,
});

/** Public list prices (USD per million tokens; Workers AI neurons per million tokens). */
export const DEFAULT_PRICES: ReadonlyMap<string, Price> = new Map([
  ["offline:*", usd(0, 0)],
  ["openai-compatible:gpt-4o-mini", usd(0.15, 0.6)],
  ["openai-compatible:gpt-4o", usd(2.5, 10)],
  ["openai-compatible:gpt-4.1", usd(2, 8)],
  ["openai-compatible:gpt-4.1-mini", usd(0.4, 1.6)],
  ["openai-compatible:gpt-4.1-nano", usd(0.1, 0.4)],
  ["workers-ai:@cf/meta/llama-3.1-8b-instruct", neurons(25_608, 75_147)],
  ["workers-ai:@cf/meta/llama-3.2-3b-instruct", neurons(4_625, 30_475)],
  ["workers-ai:@cf/meta/llama-3.3-70b-instruct-fp8-fast", neurons(26_668, 204_805)],
  ["workers-ai:@cf/mistral/mistral-7b-instruct-v0.1", neurons(10_000, 17_300)],
]);

type Overrides = Map<string, Price & { updatedAt: number }>;
const overridesCache = new IsolateCache<Overrides>(/^\/api\/admin\/model-prices/);

/** After a change through this isolate: the next price read sees it (others within the TTL). */
export const forgetPrices = () => overridesCache.clear();

export async function priceOverrides(db: Database): Promise<Overrides> {
  const hit = overridesCache.get("all");
  if (hit) return hit;
  const rows = await db.select().from(modelPrices).limit(1000);
  const map: Overrides = new Map(rows.map((r) => [`${r.provider}:${r.model}`, r]));
  overridesCache.set("all", map, PRICE_TTL_SECONDS);
  return map;
}

/** Splits a chain label ("provider:model"; the model id may itself hold colons). */
export function splitLabel(label: string): { provider: string; model: string } {
  const at = label.indexOf(":");
  return at === -1 ? { provider: label, model: label } : { provider: label.slice(0, at), model: label.slice(at + 1) };
}

/** The price of one model: an override, then the defaults; exact model before the provider's "*". */
export function priceIn(overrides: Overrides, provider: string, model: string): Price | null {
  for (const key of [`${provider}:${model}`, `${provider}:${ANY_MODEL}`]) {
    const price = overrides.get(key) ?? DEFAULT_PRICES.get(key);
    if (price) return price;
  }
  return null;
}

export interface Cost {
  costUsd: number;
  neurons: number | null;
  priced: boolean;
}

export function costOf(price: Price | null, usage: Usage): Cost {
  if (!price) return { costUsd: 0, neurons: null, priced: false };
  const perToken = (input: number, output: number) =>
    (usage.inputTokens * input + usage.outputTokens * output) / 1_000_000;
  const n =
    price.inputNeuronsPerMtok === null && price.outputNeuronsPerMtok === null
      ? null
      : perToken(price.inputNeuronsPerMtok ?? 0, price.outputNeuronsPerMtok ?? 0);
  return { costUsd: perToken(price.inputUsdPerMtok, price.outputUsdPerMtok), neurons: n, priced: true };
}

/** The whole table as the admin API shows it: defaults, with overrides replacing or adding rows. */
export async function priceList(db: Database): Promise<ModelPrice[]> {
  const overrides = await priceOverrides(db);
  const out = new Map<string, ModelPrice>();
  const add = (key: string, p: Price, source: ModelPrice["source"], updatedAt: number | null) => {
    const { provider, model } = splitLabel(key);
    out.set(key, {
      provider,
      model,
      input_usd_per_mtok: p.inputUsdPerMtok,
      output_usd_per_mtok: p.outputUsdPerMtok,
      input_neurons_per_mtok: p.inputNeuronsPerMtok,
      output_neurons_per_mtok: p.outputNeuronsPerMtok,
      source,
      updated_at: updatedAt === null ? null : new Date(updatedAt).toISOString(),
    });
  };
  for (const [key, p] of DEFAULT_PRICES) add(key, p, "default", null);
  for (const [key, p] of overrides) add(key, p, "override", p.updatedAt);
  return [...out.values()].sort((a, b) => `${a.provider}:${a.model}`.localeCompare(`${b.provider}:${b.model}`));
}
