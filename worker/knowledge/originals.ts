// Uploaded files as they came, in R2, so they can be downloaded and extracted again on re-index.
// One object per document and content hash: ws/{workspace}/kb/{kb}/doc/{doc}/{sha256}. The
// document row's content hash names its current original, so no column records the key; a
// document from before originals were kept simply has no object under its key. Prefixes per
// document and per knowledge base let deletes list what to remove instead of trusting D1.

export interface Original {
  workspaceId: string;
  kbId: string;
  docId: string;
  hash: string;
}

/** R2 deletes at most 1,000 keys per call, and lists at most 1,000 per page. */
const DELETE_BATCH = 1000;

const kbPrefix = (workspaceId: string, kbId: string) => `ws/${workspaceId}/kb/${kbId}/`;
const docPrefix = (o: Omit<Original, "hash">) => `${kbPrefix(o.workspaceId, o.kbId)}doc/${o.docId}/`;
const keyOf = (o: Original) => `${docPrefix(o)}${o.hash}`;

export async function storeOriginal(
  bucket: R2Bucket,
  o: Original & { bytes: Uint8Array; contentType: string; name: string },
): Promise<void> {
  await bucket.put(keyOf(o), o.bytes, {
    httpMetadata: { contentType: o.contentType },
    customMetadata: { name: o.name },
    sha256: o.hash,
  });
}

/** The document's current original, or null for documents stored before originals were kept. */
export function readOriginal(bucket: R2Bucket, o: Original): Promise<R2ObjectBody | null> {
  return bucket.get(keyOf(o));
}

/** Whether the document's current original is stored, without reading it. */
export async function hasOriginal(bucket: R2Bucket, o: Original): Promise<boolean> {
  return (await bucket.head(keyOf(o))) !== null;
}

export async function deleteOriginal(bucket: R2Bucket, o: Original): Promise<void> {
  await bucket.delete(keyOf(o));
}

/** Removes every object under `prefix`, a page at a time; returns how many were removed. */
async function deleteUnder(bucket: R2Bucket, prefix: string): Promise<number> {
  let removed = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, limit: DELETE_BATCH, ...(cursor ? { cursor } : {}) });
    const keys = page.objects.map((o) => o.key);
    if (keys.length > 0) await bucket.delete(keys);
    removed += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return removed;
}

/** Every original of a document, whatever its hash. */
export function deleteDocumentOriginals(bucket: R2Bucket, doc: Omit<Original, "hash">): Promise<number> {
  return deleteUnder(bucket, docPrefix(doc));
}

export function deleteKnowledgeBaseOriginals(bucket: R2Bucket, workspaceId: string, kbId: string): Promise<number> {
  return deleteUnder(bucket, kbPrefix(workspaceId, kbId));
}

/** `Content-Disposition` for any name: a plain-ASCII fallback and the exact name in RFC 5987 form. */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^A-Za-z0-9._ -]/g, "_").slice(0, 200) || "original";
  const exact = encodeURIComponent(name).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
