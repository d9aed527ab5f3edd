import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../worker/core/config";
import { generate } from "../../worker/core/providers/generate";
import { LocalEmbedder } from "../../worker/core/providers/local-embedder";
import { LocalVectorIndex } from "../../worker/core/providers/local-vector-index";
import { OfflineModel } from "../../worker/core/providers/offline-model";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { ResilientModel } from "../../worker/core/providers/resilient-model";
import { VectorizeIndex } from "../../worker/core/providers/vectorize-index";
import { WORKERS_AI_PROVIDER } from "../../worker/core/providers/workers-ai";
import { WorkersAiEmbedder } from "../../worker/core/providers/workers-ai-embedder";
import { DEFAULT_WORKERS_AI_MODEL } from "../../worker/core/providers/workers-ai-model";
import { createServices } from "../../worker/core/services";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

const config = (vars: Record<string, string> = {}) => parseConfig({ ENVIRONMENT: "test", ...vars });
const fakeAi = { run: async () => ({}) } as unknown as Ai;
const fakeVectorize = {
  upsert: async () => ({ ids: [], count: 0 }),
  query: async () => ({ matches: [], count: 0 }),
  getByIds: async () => [],
  deleteByIds: async () => ({ ids: [], count: 0 }),
} as unknown as NonNullable<Env["VECTORIZE"]>;
/** The test Worker's real bindings minus AI and Vectorize, as in local development. */
const { AI: _ai, VECTORIZE: _vectorize, ...localEnv } = env;
const offlineEnv: Env = localEnv;

afterEach(() => clearProviderOverrides());

describe("createServices provider selection", () => {
  it("uses the built-in providers when nothing is bound or configured", () => {
    const services = createServices(offlineEnv, config());
    expect(services.model).toBeInstanceOf(OfflineModel);
    expect(services.model.degraded).toBe(true);
    expect(services.embedder).toBeInstanceOf(LocalEmbedder);
    expect(services.embedder.dimensions).toBe(384);
    expect(services.vectorIndex).toBeInstanceOf(LocalVectorIndex);
  });

  it("uses an OpenAI-compatible server when LLM_BASE_URL is set and AI is not bound", () => {
    const services = createServices(
      offlineEnv,
      config({ LLM_BASE_URL: "http://localhost:11434/v1", LLM_MODEL: "llama3.1" }),
    );
    // Real models come wrapped in breakers, retries and the offline fallback, labelled as chat labels them.
    expect(services.model).toBeInstanceOf(ResilientModel);
    expect(services.model.id).toBe("openai-compatible:llama3.1");
    expect(services.embedder).toBeInstanceOf(LocalEmbedder);
  });

  it("prefers Workers AI for the model and embeddings when AI is bound", () => {
    const services = createServices(
      { ...offlineEnv, AI: fakeAi },
      config({ LLM_BASE_URL: "http://localhost:11434/v1", EMBEDDING_MODEL: "@cf/baai/bge-base-en-v1.5" }),
    );
    expect(services.model).toBeInstanceOf(ResilientModel);
    expect(services.model.id).toBe(`${WORKERS_AI_PROVIDER}:${DEFAULT_WORKERS_AI_MODEL}`);
    expect(services.embedder).toBeInstanceOf(WorkersAiEmbedder);
    expect(services.embedder.model).toBe("@cf/baai/bge-base-en-v1.5");
    expect(services.embedder.dimensions).toBe(768);
    expect(services.vectorIndex).toBeInstanceOf(LocalVectorIndex);
  });

  it("uses Vectorize when it is bound", () => {
    const services = createServices({ ...offlineEnv, VECTORIZE: fakeVectorize }, config());
    expect(services.vectorIndex).toBeInstanceOf(VectorizeIndex);
    expect(services.model).toBeInstanceOf(OfflineModel);
  });

  it("builds each provider on first use only, once per request", () => {
    let reads = 0;
    const counting = Object.defineProperty({ ...offlineEnv }, "AI", {
      get: () => {
        reads++;
        return fakeAi;
      },
    });
    const services = createServices(counting, config());
    expect(reads).toBe(0);
    const first = services.model;
    const afterModel = reads;
    expect(afterModel).toBeGreaterThan(0);
    expect(services.model).toBe(first);
    expect(reads).toBe(afterModel);
    const embedder = services.embedder;
    const afterEmbedder = reads;
    expect(afterEmbedder).toBeGreaterThan(afterModel);
    expect(services.embedder).toBe(embedder);
    expect(reads).toBe(afterEmbedder);
  });
});

describe("test-only provider overrides", () => {
  it("lets a test inject a scripted model, embedder or index", async () => {
    const scripted = new ScriptedModel(textScript("Hello"));
    const embedder = new LocalEmbedder();
    setProviderOverrides({ model: scripted, embedder });
    const services = createServices({ ...offlineEnv, AI: fakeAi }, config());
    // The scripted model replaces the primary; the offline fallback stays behind it, as in chat.
    expect(services.model.id).toBe(`${scripted.id}:${DEFAULT_WORKERS_AI_MODEL}`);
    expect((await generate(services.model, { messages: [{ role: "user", content: "Hi" }] })).text).toBe("Hello");
    expect(services.embedder).toBe(embedder);
    expect(services.vectorIndex).toBeInstanceOf(LocalVectorIndex);
    clearProviderOverrides();
    expect(createServices(offlineEnv, config()).model).toBeInstanceOf(OfflineModel);
  });

  it("are ignored outside ENVIRONMENT=test, so they can never reach a deployed Worker", () => {
    const scripted = new ScriptedModel(textScript("Hello"));
    setProviderOverrides({ model: scripted });
    expect(createServices(offlineEnv, config({ ENVIRONMENT: "development" })).model).toBeInstanceOf(OfflineModel);
    expect(createServices(offlineEnv, config()).model.id).toBe(`${scripted.id}:offline`);
  });
});
