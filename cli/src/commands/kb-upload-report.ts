// What `hive kb upload` tells people: per file what the upload did (created, unchanged, replaced,
// failed with its reason, or not sent when interrupted) and how ingestion ended, then totals,
// with the time spent waiting on rate limits on a line of its own: delayed is not failed.
import type { DocumentStatus } from "@hive/shared/api-client";
import { type CommandContext, EXIT } from "../command";
import { renderTable } from "../output/table";

export const FILE_RESULTS = ["created", "unchanged", "replaced", "failed", "not sent"] as const;
export type FileResult = (typeof FILE_RESULTS)[number];

export interface UploadedFile {
  name: string;
  result: FileResult;
  document_id: string | null;
  status: DocumentStatus | null;
  chunk_count: number;
  /** "CODE: message" when the file was refused, or ingestion's error when it failed there. */
  error: string | null;
}

export interface UploadReport {
  knowledge_base: { id: string; name: string };
  files: UploadedFile[];
  summary: Record<FileResult, number>;
  /** Files under the directory of a type the Worker does not index. */
  skipped: string[];
  rate_limit_wait_ms: number;
  interrupted: boolean;
  timed_out: boolean;
}

const INTERRUPTED = 130;

export function printUploadReport(ctx: CommandContext, report: UploadReport): void {
  const { out } = ctx;
  const tone = (text: string) =>
    text === "ready" || text === "created" || text === "replaced"
      ? out.style("green", text)
      : text === "failed"
        ? out.style("red", text)
        : out.style("yellow", text);
  const rows = report.files.map((f) => [
    f.name,
    tone(f.result),
    f.status ? tone(f.status) : "-",
    f.status ? String(f.chunk_count) : "-",
    f.error ?? "",
  ]);
  out.line(renderTable(["FILE", "UPLOAD", "STATUS", "CHUNKS", "ERROR"], rows));
  out.line();
  const s = report.summary;
  out.line(
    `${report.files.length} files: ${s.created} created, ${s.unchanged} unchanged, ${s.replaced} replaced, ${s.failed} failed${s["not sent"] ? `, ${s["not sent"]} not sent (interrupted; run the same command again to resume)` : ""}.`,
  );
  out.line(`Waited ${Math.round(report.rate_limit_wait_ms / 1000)} s on rate limits (delayed, not failed).`);
  const by = (status: DocumentStatus) => report.files.filter((f) => f.status === status).length;
  const waiting = by("queued") + by("processing");
  out.line(
    `Ingestion: ${by("ready")} ready, ${by("failed")} failed${waiting ? `, ${waiting} still ${report.timed_out ? "indexing when --timeout ran out" : "queued (not waited for)"}` : ""}.`,
  );
}

/** 130 when interrupted; 1 when any file was refused, failed ingestion, or was pending at the timeout. */
export function uploadExitCode(report: UploadReport): number {
  if (report.interrupted) return INTERRUPTED;
  const failed = report.summary.failed > 0 || report.files.some((f) => f.status === "failed") || report.timed_out;
  return failed ? EXIT.FAILED : EXIT.OK;
}
