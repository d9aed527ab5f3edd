// Pick files (several at once), then watch each one's result (created, unchanged, replaced,
// failed with the reason) and its indexing.

import { UPLOAD_EXTENSIONS } from "@hive/shared/api-client";
import { type FormEvent, useId, useRef, useState } from "react";
import { TextField } from "../../ui/controls";
import { describedBy, Field } from "../../ui/field";
import { FormSection } from "../../ui/form-section";
import { type UploadItem, type UploadPhase, useUploads } from "./use-uploads";

const ACCEPT = Object.keys(UPLOAD_EXTENSIONS)
  .map((ext) => `.${ext}`)
  .join(",");

const PHASE_TEXT: Record<UploadPhase, string> = {
  waiting: "waiting",
  uploading: "uploading",
  queued: "queued",
  processing: "processing",
  ready: "ready",
  failed: "failed",
  rejected: "not uploaded",
};

const PHASE_TONE: Record<UploadPhase, string> = {
  waiting: "tone-neutral",
  uploading: "tone-neutral",
  queued: "tone-neutral",
  processing: "tone-warn",
  ready: "tone-ok",
  failed: "tone-bad",
  rejected: "tone-bad",
};

const FILES_HINT =
  "Text, Markdown, HTML, JSON or PDF, sent in batches. A file with the name of an existing document replaces it; " +
  "the same content again is left unchanged.";

export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

function UploadRow({ item }: { item: UploadItem }) {
  const uploading = item.phase === "uploading" || item.phase === "waiting";
  const label = uploading ? `Upload of ${item.name}` : `Ingestion of ${item.name}`;
  return (
    <li className="upload-item" data-testid="upload-item" data-phase={item.phase}>
      <div className="upload-head">
        <strong>{item.name}</strong> <span className="muted">{formatBytes(item.size)}</span>
        <span className={`pill ${PHASE_TONE[item.phase]}`} data-testid="upload-phase">
          {PHASE_TEXT[item.phase]}
        </span>
        {item.action ? (
          <span className="muted small" data-testid="upload-action">
            {item.action}
          </span>
        ) : null}
      </div>
      {item.phase !== "rejected" && item.phase !== "failed" ? (
        <div className="upload-progress">
          {uploading ? (
            <progress aria-label={label} />
          ) : (
            <progress max={1} value={item.phase === "ready" ? 1 : item.ingested} aria-label={label} />
          )}
          <span className="small muted">
            {uploading ? item.phase : `indexed ${Math.round((item.phase === "ready" ? 1 : item.ingested) * 100)}%`}
          </span>
        </div>
      ) : null}
      {item.error ? <p className="field-error">{item.error}</p> : null}
    </li>
  );
}

export function UploadPanel({ kbId }: { kbId: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [tags, setTags] = useState("");
  const uploads = useUploads(kbId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const files = [...(input.current?.files ?? [])];
    if (files.length === 0) return;
    uploads.add(files, {
      tags: tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    });
    if (input.current) input.current.value = "";
  };

  return (
    <FormSection title="Upload documents">
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field id={`${id}-files`} label="Files" hint={FILES_HINT}>
            {/* Uncontrolled: the browser holds the picked files until they are sent. */}
            <input
              id={`${id}-files`}
              ref={input}
              type="file"
              multiple
              accept={ACCEPT}
              className="input"
              aria-describedby={describedBy(`${id}-files`, true, undefined)}
            />
          </Field>
          <TextField
            id={`${id}-tags`}
            label="Tags"
            hint="Comma-separated; search can filter on them."
            placeholder="handbook, 2026"
            value={tags}
            onValue={setTags}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button">
            Upload
          </button>
          {uploads.items.some((i) => i.phase === "ready" || i.phase === "failed" || i.phase === "rejected") ? (
            <button type="button" className="button button-secondary" onClick={uploads.clearFinished}>
              Clear finished
            </button>
          ) : null}
        </div>
      </form>
      {uploads.items.length ? (
        <ul className="upload-list" aria-label="Uploads">
          {uploads.items.map((item) => (
            <UploadRow key={item.key} item={item} />
          ))}
        </ul>
      ) : null}
    </FormSection>
  );
}
