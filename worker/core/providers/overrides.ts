// A seam for tests only: Vitest runs in the same isolate as the Worker, so a test can swap in a
// scripted model (or embedder, or index, or shorter model deadlines) that every request then
// uses. Overrides are honoured only when ENVIRONMENT is "test", so nothing set here can affect a
// deployed Worker.
import type { ModelDeadlines } from "./deadlines";
import type { Embedder, ModelProvider, VectorIndex } from "./types";

export interface ProviderOverrides {
  model?: ModelProvider;
  embedder?: Embedder;
  vectorIndex?: VectorIndex;
  /** Shorter model deadlines, so fault tests run in milliseconds. */
  deadlines?: Partial<ModelDeadlines>;
}

let current: ProviderOverrides = {};

/** Replaces all overrides (pass `{}` or call clearProviderOverrides to remove them). */
export function setProviderOverrides(overrides: ProviderOverrides): void {
  current = { ...overrides };
}

export function clearProviderOverrides(): void {
  current = {};
}

export function providerOverrides(): Readonly<ProviderOverrides> {
  return current;
}
