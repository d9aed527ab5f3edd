// `hive kb list|create|upload|status|search`: knowledge bases, their documents, ingestion and retrieval.
import {
  CHUNK_SIZE,
  DEFAULT_CHUNK_OVERLAP,
  type HiveClient,
  type KnowledgeBase,
  SEARCH_MODES,
} from "@hive/shared/api-client";
import { CliError, type Command, type CommandContext, EXIT, type Subcommand, subcommands } from "../command";
import { authedClient } from "../credentials";
import { byIdOrName, everyItem } from "../lookup";
import { argument, flagOptions, integerOption, listOptions, stringOptions } from "../options";
import { printList } from "../output/list";
import { shortTime } from "../output/time";
import { fetchPages } from "./kb-fetch";
import { followIngestion, renderProgress } from "./kb-ingestion";
import { ProgressBar } from "./kb-progress";
import { printSearch, searchRequest } from "./kb-search";
import { uploadDirectory } from "./kb-upload";
import { printUploadReport, uploadExitCode } from "./kb-upload-report";

const findKnowledgeBase = (client: HiveClient, ref: string): Promise<KnowledgeBase> =>
  byIdOrName("knowledge base", "kb_", client.knowledge, ref);

async function list(ctx: CommandContext): Promise<number> {
  const kbs = await everyItem(authedClient(ctx).knowledge);
  return printList(ctx, kbs, {
    empty: "No knowledge bases. Create one with: hive kb create --name <name>",
    headers: ["ID", "NAME", "DOCS", "CHUNKS", "EMBEDDING MODEL", "CHUNK/OVERLAP", "CREATED"],
    row: (k) => [
      k.id,
      k.name,
      String(k.document_count),
      String(k.chunk_count),
      k.embedding_model,
      `${k.chunk_size}/${k.chunk_overlap}`,
      shortTime(k.created_at),
    ],
  });
}

async function create(ctx: CommandContext): Promise<number> {
  const name = typeof ctx.values.name === "string" ? ctx.values.name.trim() : "";
  if (!name) throw new CliError("--name is required", EXIT.USAGE);
  const kb = await authedClient(ctx).knowledge.create({
    name,
    ...(typeof ctx.values.description === "string" ? { description: ctx.values.description } : {}),
    chunk_size: integerOption(ctx.values, "chunk-size") ?? CHUNK_SIZE.default,
    chunk_overlap: integerOption(ctx.values, "chunk-overlap") ?? DEFAULT_CHUNK_OVERLAP,
    ...(typeof ctx.values["embedding-model"] === "string" ? { embedding_model: ctx.values["embedding-model"] } : {}),
  });
  if (ctx.out.json) ctx.out.data(kb);
  else
    ctx.out.line(
      `Created knowledge base ${kb.name} (${kb.id}): ${kb.chunk_size}-token chunks, ${kb.chunk_overlap} overlap, ${kb.embedding_model}.`,
    );
  return EXIT.OK;
}

async function upload(ctx: CommandContext): Promise<number> {
  const dir = ctx.positionals[1];
  const ref = typeof ctx.values.kb === "string" ? ctx.values.kb : undefined;
  if (!dir || !ref) throw new CliError("usage: hive kb upload <dir> --kb <knowledge base id or name>", EXIT.USAGE);
  // Time the server asked us to wait (429, or pacing to RateLimit-Remaining 0), reported apart from failures.
  let rateLimitWaitMs = 0;
  const client = authedClient(ctx, {
    onWait: (w) => {
      if (w.status === 429 || w.reason === "pacing") rateLimitWaitMs += w.ms;
    },
  });
  const report = await uploadDirectory(ctx, client, await findKnowledgeBase(client, ref), dir, () => rateLimitWaitMs);
  if (ctx.out.json) ctx.out.data(report);
  else printUploadReport(ctx, report);
  return uploadExitCode(report);
}

async function fetchUrls(ctx: CommandContext): Promise<number> {
  const urls = ctx.positionals.slice(1);
  const ref = typeof ctx.values.kb === "string" ? ctx.values.kb : undefined;
  const sitemap = typeof ctx.values.sitemap === "string" ? ctx.values.sitemap : undefined;
  if (!ref || (urls.length === 0) === !sitemap)
    throw new CliError("usage: hive kb fetch --kb <knowledge base id or name> <url>... | --sitemap <url>", EXIT.USAGE);
  const client = authedClient(ctx);
  const report = await fetchPages(ctx, client, await findKnowledgeBase(client, ref), urls, sitemap);
  if (ctx.out.json) ctx.out.data(report);
  else printUploadReport(ctx, report);
  return uploadExitCode(report);
}

async function status(ctx: CommandContext): Promise<number> {
  const ref = argument(ctx, "kb status <knowledge base id or name> [--watch]");
  const client = authedClient(ctx);
  const kb = await findKnowledgeBase(client, ref);
  const progress =
    ctx.values.watch === true
      ? (await followIngestion(client, kb.id, Number.POSITIVE_INFINITY, new ProgressBar())).last
      : await client.knowledge.ingestionStatus(kb.id);
  if (ctx.out.json) ctx.out.data(progress);
  else {
    ctx.out.line(`${kb.name} (${kb.id})`);
    ctx.out.line(renderProgress(progress));
  }
  return EXIT.OK;
}

async function search(ctx: CommandContext): Promise<number> {
  const [, ref, ...words] = ctx.positionals;
  const query = words.join(" ").trim();
  if (!ref || !query) throw new CliError('usage: hive kb search <knowledge base id or name> "query"', EXIT.USAGE);
  const client = authedClient(ctx);
  const kb = await findKnowledgeBase(client, ref);
  const result = await client.knowledge.search(kb.id, searchRequest(ctx, query));
  if (ctx.out.json) ctx.out.data(result);
  else printSearch(ctx, result);
  return EXIT.OK;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  list,
  create,
  upload,
  fetch: fetchUrls,
  status,
  search,
};

export const kb: Command = {
  name: "kb",
  summary: "Knowledge bases: list, create, upload a directory, add web pages, ingestion status, search",
  usage:
    'list | create --name <name> [--chunk-size n] [--chunk-overlap n] [--embedding-model m] | upload <dir> --kb <kb> [--tag t]... [--batch-files n] | fetch --kb <kb> <url>... | --sitemap <url> | status <kb> [--watch] | search <kb> "query" [--mode m] [--top-k n]',
  options: {
    ...stringOptions("name", "description", "chunk-size", "chunk-overlap", "embedding-model", "kb", "sitemap"),
    ...listOptions("tag"),
    ...flagOptions("no-wait"),
    ...stringOptions("timeout", "batch-files"),
    ...flagOptions("watch"),
    ...stringOptions("mode", "top-k"),
    ...listOptions("doc"),
  },
  help: [
    "<kb> is a knowledge base id (kb_...) or its name.",
    "",
    "upload: walks <dir> (skipping dot-files) and uploads every .txt, .md, .html, .json and .pdf file,",
    "named by its path under <dir>, in batches of up to 50 files (--batch-files) and 4 MiB. Each file",
    "is reported as created, unchanged, replaced or failed (with the reason); rate limits are waited",
    "out and the time reported apart. Files already in the knowledge base with the same content are",
    "not sent again, so a re-run (or a run stopped with Ctrl-C) uploads only what is missing. A",
    "progress bar on stderr follows the uploads, then ingestion until nothing is in flight (--no-wait",
    "skips that; --timeout seconds bounds it, default 300). --tag labels the documents (new tags",
    "re-index a file whose content is unchanged). Exits 1 when any file was refused or failed.",
    "",
    "status: counts of documents by state and the ingestion rate; --watch refreshes until nothing is in flight.",
    "",
    "fetch: adds web pages by URL (https, hosts in the Worker's HTTP_TOOL_ALLOWLIST), or every page a sitemap",
    "lists (--sitemap; an index is followed one level). The Worker fetches them; this waits like upload and",
    "lists refused URLs with the reason. Exits 1 when any URL was refused or failed.",
    "",
    `search: --mode ${Object.keys(SEARCH_MODES).join("|")} (default hybrid), --top-k (default 10), --tag and --doc filter.`,
  ].join("\n"),
  run: subcommands("kb", SUBCOMMANDS, "list"),
};
