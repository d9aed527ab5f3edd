// "Original" beside a cited document: the API wants the session (cookie) or a bearer, which a
// plain link to the download route would not carry through every deployment, so the file is
// fetched with the dashboard's client and handed to the browser as a blob URL. A PDF opens in a
// new tab (the browser's viewer); anything else downloads under its document name.
import { useState } from "react";
import { api } from "../../api/client";
import { errorText } from "../../ui/error-text";

interface OriginalLinkProps {
  knowledgeBaseId: string;
  documentId: string;
  documentName: string;
}

/** Blob URLs hold the file in memory until revoked; a minute is ample for the tab or download to take it. */
const REVOKE_AFTER_MS = 60_000;

export function OriginalLink({ knowledgeBaseId, documentId, documentName }: OriginalLinkProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function open() {
    setError(null);
    setBusy(true);
    const isPdf = /\.pdf$/i.test(documentName);
    // Opened before the fetch, while the click still counts as the user's: popup blockers allow it.
    const tab = isPdf ? window.open("", "_blank") : null;
    try {
      const blob = await api.knowledge.original(knowledgeBaseId, documentId);
      const url = URL.createObjectURL(blob);
      setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
      if (tab) {
        tab.location.href = url;
        return;
      }
      const a = document.createElement("a");
      a.href = url;
      a.download = documentName;
      a.click();
    } catch (err) {
      tab?.close();
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={open}
        disabled={busy}
        data-testid="citation-original"
        title={`Download the original of ${documentName}`}
      >
        {busy ? "Fetching…" : "original"}
      </button>
      {error ? (
        <span className="field-error small" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}
