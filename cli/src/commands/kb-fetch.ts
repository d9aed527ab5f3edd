// `hive kb fetch --kb <kb> <url>... | --sitemap <url>`: web pages as documents. The Worker checks
// each URL, queues the accepted ones and fetches them on its ingestion queue; this follows them
// until they are ready or failed, with the same report (and exit code) as `kb upload`.
import { type HiveClient, type KnowledgeBase, MAX_FETCH_URLS } from "@hive/shared/api-client";
import { CliError, type CommandContext, EXIT } from "../command";
import { numberOption } from "../options";
import { ProgressBar } from "./kb-progress";
import { type UploadReport, waitForIngestion } from "./kb-upload";

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
  const report: UploadReport = {
    knowledge_base: { id: kb.id, name: kb.name },
    documents: result.queued.map((q) => ({
      id: q.document_id,
      name: q.url,
      status: "queued",
      chunk_count: 0,
      error: null,
      action: "fetch",
    })),
    failed_uploads: result.refused.map((r) => ({ file: r.url, code: r.error.code, message: r.error.message })),
    skipped: [],
    timed_out: false,
  };
  ctx.out.error(
    `Queued ${result.queued.length} ${result.queued.length === 1 ? "page" : "pages"} for ${kb.name} (${kb.id})` +
      (result.refused.length ? `, ${result.refused.length} refused` : ""),
  );
  if (ctx.values["no-wait"] !== true && report.documents.length) {
    const timeout = numberOption(ctx.values, "timeout", { min: 1 }) ?? 300;
    await waitForIngestion(client, kb.id, report, timeout * 1000, new ProgressBar());
  }
  return report;
}
