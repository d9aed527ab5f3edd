// `hive kb fetch --kb <kb> <url>... | --sitemap <url>`: web pages as documents. The Worker checks
// each URL, queues the accepted ones and fetches them on its ingestion queue; this follows them
// until they are ready or failed, with the same report (and exit code) as `kb upload`: a queued
// page is "created", a refused URL "failed" with the Worker's reason.
import { type HiveClient, type KnowledgeBase, MAX_FETCH_URLS } from "@hive/shared/api-client";
import { CliError, type CommandContext, EXIT } from "../command";
import { numberOption } from "../options";
import { followIngestion } from "./kb-ingestion";
import { ProgressBar } from "./kb-progress";
import { FILE_RESULTS, type FileResult, type UploadedFile, type UploadReport } from "./kb-upload-report";

export async function fetchPages(
  ctx: CommandContext,
  client: HiveClient,
  kb: KnowledgeBase,
  urls: string[],
  sitemap: string | undefined,
): Promise<UploadReport> {
  if (urls.length > MAX_FETCH_URLS) throw new CliError(`at most ${MAX_FETCH_URLS} URLs per call`, EXIT.USAGE);
  const tags = (Array.isArray(ctx.values.tag) ? ctx.values.tag.map(String) : []).filter(Boolean);
  const extra = tags.length ? { tags } : {};
  const result = await client.knowledge.fetchUrls(kb.id, sitemap ? { sitemap, ...extra } : { urls, ...extra });
  const page = (name: string, result: FileResult, id: string | null, error: string | null): UploadedFile => ({
    name,
    result,
    document_id: id,
    status: id ? "queued" : null,
    chunk_count: 0,
    error,
  });
  const files = [
    ...result.queued.map((q) => page(q.url, "created", q.document_id, null)),
    ...result.refused.map((r) => page(r.url, "failed", null, `${r.error.code}: ${r.error.message}`)),
  ];
  const summary = Object.fromEntries(FILE_RESULTS.map((r) => [r, 0])) as Record<FileResult, number>;
  for (const f of files) summary[f.result] += 1;
  const report: UploadReport = {
    knowledge_base: { id: kb.id, name: kb.name },
    files,
    summary,
    skipped: [],
    rate_limit_wait_ms: 0,
    interrupted: false,
    timed_out: false,
  };
  ctx.out.error(
    `Queued ${result.queued.length} ${result.queued.length === 1 ? "page" : "pages"} for ${kb.name} (${kb.id})` +
      (result.refused.length ? `, ${result.refused.length} refused` : ""),
  );
  if (ctx.values["no-wait"] !== true && result.queued.length) {
    const timeout = numberOption(ctx.values, "timeout", { min: 1 }) ?? 300;
    report.timed_out = !(await followIngestion(client, kb.id, timeout * 1000, new ProgressBar())).done;
    for (const f of files) {
      if (!f.document_id) continue;
      const doc = await client.knowledge.document(kb.id, f.document_id);
      Object.assign(f, { status: doc.status, chunk_count: doc.chunk_count, error: doc.error });
    }
  }
  return report;
}
