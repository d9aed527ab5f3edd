// The one time a key's secret is visible: shown with a copy button and a plain warning, kept
// until the person says they are done. It is never stored in the dashboard.

import type { CreatedApiKey } from "@hive/shared/api-client";
import { useEffect, useId, useRef, useState } from "react";

export function NewKeyPanel({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  useEffect(() => heading.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };

  return (
    <section className="panel new-key" aria-labelledby={`${id}-title`} data-testid="new-key-panel">
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Your new key “{created.name}”
      </h2>
      <p className="notice">
        <strong>Copy it now.</strong> This is the only time the key is shown: Liquid Hive keeps only a hash of it, so it
        cannot be shown again. If you lose it, revoke it and create another.
      </p>
      <div className="new-key-line">
        <label htmlFor={`${id}-key`} className="visually-hidden">
          API key
        </label>
        <input
          id={`${id}-key`}
          className="input new-key-value"
          readOnly
          value={created.key}
          onFocus={(e) => e.target.select()}
          data-testid="new-key"
          spellCheck={false}
        />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className="muted small">
        {copied === "yes"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? "The browser refused the clipboard: select the key and copy it yourself."
            : ""}
      </p>
      <p className="muted small">
        Send it as <code>Authorization: Bearer {created.prefix}_…</code>. Scopes: {created.scopes.join(", ")}.
      </p>
      <button type="button" className="button button-secondary" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
