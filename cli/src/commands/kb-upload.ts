// `hive kb upload <dir> --kb <kb>`: every supported file under a directory, uploaded one by one
// with a progress bar, then followed until ingestion has finished (ready or failed).
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import {
  HiveApiError,
  type HiveClient,
  isSettled,
  type KnowledgeBase,
  type KnowledgeDocument,
  uploadBody,
  uploadTypeOf,
} from "@hive/shared/api-client";
import { CliError, type CommandContext, EXIT } from "../command";
import { numberOption } from "../options";
import { renderTable } from "../output/table";
import { ProgressBar } from "./kb-progress";

const POLL_MS = 1000;

export interface UploadReport {
  knowledge_base: { id: string; name: string };
  documents: (Pick<KnowledgeDocument, "id" | "name" | "status" | "chunk_count" | "error"> & { action: string })[];
  failed_uploads: { file: string; code: string; message: string }[];
  skipped: string[];
  timed_out: boolean;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitForIngestion(
  client: HiveClient,
  kbId: string,
  report: UploadReport,
  timeoutMs: number,
  bar: ProgressBar,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const settledCount = () => report.documents.filter((d) => isSettled(d)).length;
  const total = report.documents.length;
  bar.update(settledCount(), total, "indexed");
  while (settledCount() < total) {
    if (Date.now() > deadline) {
      report.timed_out = true;
      break;
    }
    await sleep(POLL_MS);
    for (const doc of report.documents) {
      if (isSettled(doc)) continue;
      const now = await client.knowledge.document(kbId, doc.id);
      Object.assign(doc, { status: now.status, chunk_count: now.chunk_count, error: now.error });
    }
    const failed = report.documents.filter((d) => d.status === "failed").length;
    bar.update(settledCount(), total, `indexed${failed ? `, ${failed} failed` : ""}`);
  }
  bar.finish();
}

export async function uploadDirectory(
  ctx: CommandContext,
  client: HiveClient,
  kb: KnowledgeBase,
  dir: string,
): Promise<UploadReport> {
  const all = await walk(dir);
  const files = all.filter((f) => uploadTypeOf(f) !== null);
  const report: UploadReport = {
    knowledge_base: { id: kb.id, name: kb.name },
    documents: [],
    failed_uploads: [],
    skipped: all.filter((f) => uploadTypeOf(f) === null).map((f) => relative(dir, f)),
    timed_out: false,
  };
  if (report.skipped.length)
    ctx.out.error(
      `Skipping ${report.skipped.length} unsupported ${report.skipped.length === 1 ? "file" : "files"}: ${report.skipped.join(", ")}`,
    );
  if (files.length === 0) throw new CliError(`no .txt, .md, .html, .json or .pdf files under ${dir}`, EXIT.USAGE);

  const tags = (Array.isArray(ctx.values.tag) ? ctx.values.tag.map(String) : [])
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  const replace = ctx.values.replace === true;
  const bar = new ProgressBar();
  ctx.out.error(`Uploading ${files.length} ${files.length === 1 ? "file" : "files"} to ${kb.name} (${kb.id})`);
  for (const [i, file] of files.entries()) {
    // Names are paths relative to the directory, with "/" on every platform, so re-running the
    // upload replaces the same documents.
    const name = relative(dir, file).split(sep).join("/");
    bar.update(i, files.length, `uploading ${name}`);
    try {
      const result = await client.knowledge.upload(
        kb.id,
        uploadBody(name, new Uint8Array(await readFile(file)), { ...(tags.length ? { tags } : {}), replace }),
      );
      report.documents.push({
        id: result.id,
        name: result.name,
        status: result.status,
        chunk_count: result.chunk_count,
        error: result.error,
        action: result.action,
      });
    } catch (err) {
      if (!(err instanceof HiveApiError)) throw err;
      report.failed_uploads.push({ file: name, code: err.code, message: err.message });
    }
  }
  bar.update(
    files.length,
    files.length,
    `uploaded${report.failed_uploads.length ? `, ${report.failed_uploads.length} refused` : ""}`,
  );
  bar.finish();
  if (ctx.values["no-wait"] !== true && report.documents.length) {
    const timeout = numberOption(ctx.values, "timeout", { min: 1 }) ?? 300;
    await waitForIngestion(client, kb.id, report, timeout * 1000, bar);
  }
  return report;
}

export function printUploadReport(ctx: CommandContext, report: UploadReport): void {
  const { out } = ctx;
  const tone = (status: string) =>
    status === "ready"
      ? out.style("green", status)
      : status === "failed"
        ? out.style("red", status)
        : out.style("yellow", status);
  const rows = [
    ...report.documents.map((d) => [d.name, tone(d.status), String(d.chunk_count), d.action, d.error ?? ""]),
    ...report.failed_uploads.map((f) => [f.file, out.style("red", "refused"), "-", "-", `${f.code}: ${f.message}`]),
  ];
  out.line(renderTable(["DOCUMENT", "STATUS", "CHUNKS", "UPLOAD", "ERROR"], rows));
  const ready = report.documents.filter((d) => d.status === "ready").length;
  const failed = report.documents.filter((d) => d.status === "failed").length + report.failed_uploads.length;
  const waiting = report.documents.length - ready - report.documents.filter((d) => d.status === "failed").length;
  out.line();
  out.line(
    `${ready} ready, ${failed} failed${waiting ? `, ${waiting} still ${report.timed_out ? "indexing when --timeout ran out" : "queued (not waited for)"}` : ""}.`,
  );
}

/** Fails the command when any file did not make it (refused, failed ingestion, or still pending at the timeout). */
export function uploadExitCode(report: UploadReport): number {
  const failed =
    report.failed_uploads.length > 0 || report.documents.some((d) => d.status === "failed") || report.timed_out;
  return failed ? EXIT.FAILED : EXIT.OK;
}
