// "Add from URL": web pages by URL (one per line) or every page a sitemap lists. The Worker
// checks each URL against its outbound guard and queues the accepted ones (they then appear in
// the documents table and are fetched on the queue); refused URLs are listed with the reason.
import { type FetchDocumentsResponse, MAX_FETCH_URLS } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { TextAreaField, TextField } from "../../ui/controls";
import { errorText } from "../../ui/error-text";
import { FormSection } from "../../ui/form-section";

type Source = "urls" | "sitemap";
const SOURCES: readonly (readonly [Source, string])[] = [
  ["urls", "Page URLs"],
  ["sitemap", "A sitemap"],
];

export function FetchPanel({ kbId }: { kbId: string }) {
  const id = useId();
  const [source, setSource] = useState<Source>("urls");
  const [urls, setUrls] = useState("");
  const [sitemap, setSitemap] = useState("");
  const add = useMutation({
    mutationFn: (): Promise<FetchDocumentsResponse> =>
      api.knowledge.fetchUrls(
        kbId,
        source === "sitemap"
          ? { sitemap: sitemap.trim() }
          : {
              urls: urls
                .split("\n")
                .map((u) => u.trim())
                .filter(Boolean),
            },
      ),
    onSuccess: (result) => {
      if (result.refused.length === 0) (source === "sitemap" ? setSitemap : setUrls)("");
    },
    meta: { invalidates: [queryKeys.knowledge.detail(kbId), queryKeys.knowledge.lists] },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ((source === "sitemap" ? sitemap : urls).trim()) add.mutate();
  };

  return (
    <FormSection title="Add from URL">
      <form className="form" onSubmit={submit}>
        <fieldset className="field">
          <legend>Source</legend>
          {SOURCES.map(([value, label]) => (
            <label className="check" key={value}>
              <input type="radio" name={`${id}-source`} checked={source === value} onChange={() => setSource(value)} />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
        {source === "urls" ? (
          <TextAreaField
            id={`${id}-urls`}
            label="URLs"
            hint={`One https URL per line, up to ${MAX_FETCH_URLS}, on hosts this deployment allows (HTTP_TOOL_ALLOWLIST).`}
            rows={4}
            placeholder="https://docs.example.com/guide"
            value={urls}
            onValue={setUrls}
          />
        ) : (
          <TextField
            id={`${id}-sitemap`}
            label="Sitemap URL"
            hint="Every page it lists is added; a sitemap index is followed one level."
            type="url"
            placeholder="https://docs.example.com/sitemap.xml"
            value={sitemap}
            onValue={setSitemap}
          />
        )}
        <div className="form-actions">
          <button type="submit" className="button" disabled={add.isPending}>
            Add pages
          </button>
        </div>
      </form>
      {add.error ? (
        <p className="field-error" role="alert">
          Could not add pages: {errorText(add.error)}
        </p>
      ) : null}
      {add.data ? (
        <div role="status" data-testid="fetch-result">
          <p>
            {add.data.queued.length} {add.data.queued.length === 1 ? "page" : "pages"} queued
            {add.data.refused.length ? `, ${add.data.refused.length} refused:` : "."}
          </p>
          {add.data.refused.length ? (
            <ul className="upload-list" aria-label="Refused URLs">
              {add.data.refused.map((r) => (
                <li key={r.url}>
                  <code>{r.url}</code> <span className="field-error">{r.error.message}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </FormSection>
  );
}
