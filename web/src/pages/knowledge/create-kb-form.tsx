// A new knowledge base: its name, how documents are chunked, and the embedding model its
// vectors are made with (fixed for its lifetime: mixing models would make similarities meaningless).
// Once created, the knowledge base opens, ready for uploads.

import { CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP, WORKERS_AI_EMBEDDING_MODELS } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { navigate } from "../../router/history";
import { pathOf } from "../../router/match";
import { labelled, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { NameFields, useNames } from "../../ui/field-name";
import { RangeField } from "../../ui/field-range";
import { submitted } from "../../ui/form-panel";
import { SubmitRow } from "../../ui/submit-row";

export function CreateKnowledgeBaseForm() {
  const id = useId();
  const names = useNames();
  const [chunkSize, setChunkSize] = useState(String(CHUNK_SIZE.default));
  const [overlap, setOverlap] = useState(String(DEFAULT_CHUNK_OVERLAP));
  const [model, setModel] = useState("");
  // The deployment's own embedder is the default; /ready names it.
  const ready = useQuery(queries.ready());
  const embedder = ready.data?.providers?.embedder ?? null;
  const create = useMutation({
    mutationFn: () =>
      api.knowledge.create({
        name: names.name,
        description: names.description,
        chunk_size: Number(chunkSize),
        chunk_overlap: Number(overlap),
        ...(model.trim() ? { embedding_model: model.trim() } : {}),
      }),
    onSuccess: (kb) => navigate(pathOf("knowledge", kb.id)),
    meta: { invalidates: [queryKeys.knowledge.lists] },
  });
  const fields = fieldErrors(create.error);
  const at = labelled(id, fields);

  return (
    <form
      className="form"
      onSubmit={(event) => submitted(event, () => create.mutate())}
      aria-labelledby={`${id}-heading`}
    >
      <h2 id={`${id}-heading`}>New knowledge base</h2>
      <div className="field-row">
        <NameFields at={at} nameMax={200} {...names} />
      </div>
      <div className="field-row">
        <RangeField
          {...at("chunk-size", "Chunk size (tokens)", "chunk_size")}
          range={CHUNK_SIZE}
          value={chunkSize}
          onValue={setChunkSize}
        />
        <TextField
          {...at("overlap", "Chunk overlap (tokens)", "chunk_overlap")}
          hint="At most half the chunk size"
          type="number"
          required
          min={0}
          max={Math.floor(Number(chunkSize) / 2) || CHUNK_SIZE.max / 2}
          value={overlap}
          onValue={setOverlap}
        />
        <TextField
          {...at("model", "Embedding model", "embedding_model")}
          hint={embedder ? `Empty: this deployment's ${embedder}` : "Empty: this deployment's default"}
          list={`${id}-models`}
          maxLength={100}
          value={model}
          placeholder={embedder ?? "default"}
          onValue={setModel}
        >
          <datalist id={`${id}-models`}>
            {/* Suggestions only: which of them run depends on the deployment (Workers AI bound or not). */}
            {[...new Set([...(embedder ? [embedder] : []), ...WORKERS_AI_EMBEDDING_MODELS])].map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </TextField>
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
