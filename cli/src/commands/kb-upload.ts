// `hive kb upload <dir> --kb <kb>`: every supported file under a directory, sent to the batch
// route in groups (by count and bytes), each file reported as created, unchanged, replaced or
// failed with its reason. Waiting on rate limits is counted apart: delayed is not failed. Files
// the knowledge base already holds with the same name and content are not sent again, so a
// re-run, or a run after Ctrl-C, sends only what is missing.
import { createHash } from "node:crypto";
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import {
  BATCH_LIMITS,
  type BatchUploadItem,
  batchesOf,
  batchFile,
  HiveApiError,
  type HiveClient,
  type KnowledgeBase,
  type KnowledgeDocument,
  type RetryPolicy,
  uploadTypeOf,
} from "@hive/shared/api-client";
import { CliError, type CommandContext, EXIT } from "../command";
import { allPages } from "../lookup";
import { integerOption, numberOption } from "../options";
import { followIngestion } from "./kb-ingestion";
import { ProgressBar } from "./kb-progress";
import { FILE_RESULTS, type FileResult, type UploadedFile, type UploadReport } from "./kb-upload-report";

/** One batch may wait out rate limits for up to ten minutes before its files count as failed. */
export const UPLOAD_RETRY: RetryPolicy = { maxAttempts: 30, maxWaitMs: 10 * 60_000 };
/** A batch of up to 4 MiB may take a while to store and queue. */
const BATCH_TIMEOUT_MS = 120_000;
/** Answers that no later batch would get past. */
const FATAL_STATUSES = new Set([401, 403, 404]);

interface LocalFile {
  path: string;
  /** Its path under the directory with "/" on every platform: the document's name. */
  name: string;
  size: number;
  hash: string;
}

/** Files below `dir`, depth first in name order; dot-files and dot-directories are left out. */
async function walk(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new CliError(`cannot read ${dir}: ${err instanceof Error ? err.message : String(err)}`, EXIT.USAGE);
  }
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(path)));
    else if (e.isFile()) files.push(path);
  }
  return files;
}

async function describe(dir: string, path: string): Promise<LocalFile> {
  const bytes = await readFile(path);
  return {
    path,
    name: relative(dir, path).split(sep).join("/"),
    size: bytes.length,
    hash: createHash("sha256").update(bytes).digest("hex"),
  };
}

const fileOf = (name: string, result: FileResult, doc: KnowledgeDocument | null, error: string | null) => ({
  name,
  result,
  document_id: doc?.id ?? null,
  status: doc?.status ?? null,
  chunk_count: doc?.chunk_count ?? 0,
  error,
});

const resultOf = (name: string, r: BatchUploadItem | undefined): UploadedFile =>
  !r
    ? fileOf(name, "failed", null, "INVALID_RESPONSE: the batch answer has no result for this file")
    : r.status === "refused" || !r.document
      ? fileOf(name, "failed", null, r.error ? `${r.error.code}: ${r.error.message}` : "refused")
      : fileOf(name, r.status, r.document, null);

function tagsOf(ctx: CommandContext): string[] {
  return (Array.isArray(ctx.values.tag) ? ctx.values.tag.map(String) : [])
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Ctrl-C once: stop after aborting the batch in flight (a re-run resumes); twice: exit at once. */
function interruptible(ctx: CommandContext): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    ctx.out.error("[stopping; run the same command again to upload the rest]");
    controller.abort(new Error("interrupted"));
  };
  process.on("SIGINT", onInterrupt);
  return { signal: controller.signal, stop: () => process.off("SIGINT", onInterrupt) };
}

export async function uploadDirectory(
  ctx: CommandContext,
  client: HiveClient,
  kb: KnowledgeBase,
  dir: string,
  rateLimitWaitMs: () => number,
): Promise<UploadReport> {
  const all = await walk(dir);
  const skipped = all.filter((f) => uploadTypeOf(f) === null).map((f) => relative(dir, f));
  if (skipped.length)
    ctx.out.error(
      `Skipping ${skipped.length} unsupported ${skipped.length === 1 ? "file" : "files"}: ${skipped.join(", ")}`,
    );
  const paths = all.filter((f) => uploadTypeOf(f) !== null);
  if (paths.length === 0) throw new CliError(`no .txt, .md, .html, .json or .pdf files under ${dir}`, EXIT.USAGE);

  const tags = tagsOf(ctx);
  const local = await Promise.all(paths.map((p) => describe(dir, p)));
  // What the knowledge base already holds, so identical files are not sent (and charged) again.
  const existing = new Map(
    (await allPages((cursor) => client.knowledge.documents(kb.id, { limit: 100, cursor }))).map((d) => [d.name, d]),
  );
  const same = (f: LocalFile) => {
    const doc = existing.get(f.name);
    const sameTags = tags.length === 0 || JSON.stringify(doc?.tags) === JSON.stringify(tags);
    return doc?.content_hash === f.hash && sameTags ? doc : null;
  };
  const results = new Map<string, UploadedFile>();
  for (const f of local) {
    const doc = same(f);
    if (doc) results.set(f.name, fileOf(f.name, "unchanged", doc, null));
  }
  const pending = local.filter((f) => !results.has(f.name));
  const limits = {
    files: integerOption(ctx.values, "batch-files", { min: 1, max: 100 }) ?? BATCH_LIMITS.files,
    bytes: BATCH_LIMITS.bytes,
  };

  ctx.out.error(
    `Uploading ${pending.length} of ${local.length} ${local.length === 1 ? "file" : "files"} to ${kb.name} (${kb.id})${results.size ? `; ${results.size} already there` : ""}`,
  );
  const bar = new ProgressBar();
  const interrupt = interruptible(ctx);
  let sent = 0;
  try {
    for (const batch of batchesOf(pending, limits)) {
      if (interrupt.signal.aborted) break;
      bar.update(sent, pending.length, `uploading ${batch[0]?.name ?? ""}`);
      const files = await Promise.all(batch.map(async (f) => batchFile(f.name, await readFile(f.path), tags)));
      try {
        const answer = await client.knowledge.uploadBatch(kb.id, files, {
          retry: UPLOAD_RETRY,
          timeoutMs: BATCH_TIMEOUT_MS,
          signal: interrupt.signal,
        });
        for (const [i, f] of batch.entries())
          results.set(
            f.name,
            resultOf(
              f.name,
              answer.results.find((r) => r.index === i),
            ),
          );
      } catch (err) {
        if (interrupt.signal.aborted) break;
        if (!(err instanceof HiveApiError) || FATAL_STATUSES.has(err.status)) throw err;
        for (const f of batch) results.set(f.name, fileOf(f.name, "failed", null, `${err.code}: ${err.message}`));
      }
      sent += batch.length;
    }
  } finally {
    interrupt.stop();
  }
  const counts = Object.fromEntries(FILE_RESULTS.map((r) => [r, 0])) as Record<FileResult, number>;
  const report: UploadReport = {
    knowledge_base: { id: kb.id, name: kb.name },
    files: local.map((f) => results.get(f.name) ?? fileOf(f.name, "not sent", null, null)),
    summary: counts,
    skipped,
    rate_limit_wait_ms: 0,
    interrupted: interrupt.signal.aborted,
    timed_out: false,
  };
  for (const f of report.files) counts[f.result] += 1;
  bar.update(sent, pending.length, `uploaded, ${FILE_RESULTS.map((r) => `${counts[r]} ${r}`).join(", ")}`);
  bar.finish();

  const queued = report.files.some((f) => f.status === "queued" || f.status === "processing");
  if (ctx.values["no-wait"] !== true && !report.interrupted && queued) {
    const timeout = numberOption(ctx.values, "timeout", { min: 1 }) ?? 300;
    report.timed_out = !(await followIngestion(client, kb.id, timeout * 1000, bar)).done;
    const now = new Map(
      (await allPages((cursor) => client.knowledge.documents(kb.id, { limit: 100, cursor }))).map((d) => [d.id, d]),
    );
    for (const f of report.files) {
      const doc = f.document_id ? now.get(f.document_id) : undefined;
      if (doc) Object.assign(f, { status: doc.status, chunk_count: doc.chunk_count, error: doc.error ?? f.error });
    }
  }
  report.rate_limit_wait_ms = rateLimitWaitMs();
  return report;
}
