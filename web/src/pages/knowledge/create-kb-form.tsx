// A new knowledge base: its name, how documents are chunked, and the embedding model its
// vectors are made with (fixed for its lifetime: mixing models would make similarities meaningless).
// Once created, the knowledge base opens, ready for uploads.

import { CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP, WORKERS_AI_EMBEDDING_MODELS } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { navigate } from "../../router/history";
import { pathOf } from "../../router/match";
import { fieldErrors } from "../../ui/error-text";
import { describedBy, Field } from "../../ui/field";
import { SubmitRow } from "../../ui/submit-row";

// Offered as suggestions only: which of them run depends on the deployment (Workers AI bound or not).
const WORKERS_AI_MODELS = [
  "@cf/baai/bge-small-en-v1.5",
  "@cf/baai/bge-base-en-v1.5",
  "@cf/baai/bge-large-en-v1.5",
  "@cf/baai/bge-m3",
];

export function CreateKnowledgeBaseForm() {
  const id = useId();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [chunkSize, setChunkSize] = useState(String(CHUNK_SIZE.default));
  const [overlap, setOverlap] = useState(String(DEFAULT_CHUNK_OVERLAP));
  const [model, setModel] = useState("");
  // The deployment's own embedder is the default; /ready names it.
  const ready = useQuery(queries.ready());
  const embedder = ready.data?.providers?.embedder ?? null;
  const create = useMutation({
    mutationFn: () =>
      api.knowledge.create({
        name,
        description,
        chunk_size: Number(chunkSize),
        chunk_overlap: Number(overlap),
        ...(model.trim() ? { embedding_model: model.trim() } : {}),
      }),
    onSuccess: (kb) => navigate(pathOf("knowledge", kb.id)),
    meta: { invalidates: [queryKeys.knowledge.lists] },
  });
  const fields = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>New knowledge base</h2>
      <div className="field-row">
        <Field id={`${id}-name`} label="Name" error={fields.name}>
          <input
            id={`${id}-name`}
            className="input"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-describedby={describedBy(`${id}-name`, false, fields.name)}
          />
        </Field>
        <Field id={`${id}-description`} label="Description" error={fields.description}>
          <input
            id={`${id}-description`}
            className="input"
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
      </div>
      <div className="field-row">
        <Field
          id={`${id}-chunk-size`}
          label="Chunk size (tokens)"
          hint={`${CHUNK_SIZE.min} to ${CHUNK_SIZE.max}`}
          error={fields.chunk_size}
        >
          <input
            id={`${id}-chunk-size`}
            className="input"
            type="number"
            required
            min={CHUNK_SIZE.min}
            max={CHUNK_SIZE.max}
            value={chunkSize}
            onChange={(e) => setChunkSize(e.target.value)}
            aria-describedby={describedBy(`${id}-chunk-size`, true, fields.chunk_size)}
          />
        </Field>
        <Field
          id={`${id}-overlap`}
          label="Chunk overlap (tokens)"
          hint="At most half the chunk size"
          error={fields.chunk_overlap}
        >
          <input
            id={`${id}-overlap`}
            className="input"
            type="number"
            required
            min={0}
            max={Math.floor(Number(chunkSize) / 2) || CHUNK_SIZE.max / 2}
            value={overlap}
            onChange={(e) => setOverlap(e.target.value)}
            aria-describedby={describedBy(`${id}-overlap`, true, fields.chunk_overlap)}
          />
        </Field>
        <Field
          id={`${id}-model`}
          label="Embedding model"
          hint={embedder ? `Empty: this deployment's ${embedder}` : "Empty: this deployment's default"}
          error={fields.embedding_model}
        >
          <input
            id={`${id}-model`}
            className="input"
            list={`${id}-models`}
            maxLength={100}
            value={model}
            placeholder={embedder ?? "default"}
            onChange={(e) => setModel(e.target.value)}
            aria-describedby={describedBy(`${id}-model`, true, fields.embedding_model)}
          />
          <datalist id={`${id}-models`}>
            {/* Suggestions only: which of them run depends on the deployment (Workers AI bound or not). */}
            {[...new Set([...(embedder ? [embedder] : []), ...WORKERS_AI_EMBEDDING_MODELS])].map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </Field>
      </div>
      <SubmitRow
        label="Create knowledge base"
        busyLabel="Creating…"
        mutation={create}
        shown={["name", "chunk_size", "chunk_overlap", "embedding_model"]}
      />
    </form>
  );
}
