// Server-rendered API reference: operations grouped by tag, with parameters, request body
// and response schemas. Plain HTML + inline CSS; no scripts.
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Json = Record<string, unknown>;
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const asObject = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});

function schemaBlock(schema: unknown) {
  if (!schema) return "";
  return html`<pre>${JSON.stringify(schema, null, 2)}</pre>`;
}

function operation(path: string, method: string, op: Json) {
  const params = (op.parameters as Json[] | undefined) ?? [];
  const body =
    asObject(asObject(asObject(op.requestBody).content)["application/json"]).schema ??
    asObject(asObject(asObject(op.requestBody).content)["multipart/form-data"]).schema;
  const responses = Object.entries(asObject(op.responses));
  return html`<details class="op" id="${method}-${path}">
    <summary><span class="m ${method}">${method.toUpperCase()}</span> <code>${path}</code> <span class="s">${String(op.summary ?? "")}</span></summary>
    ${op.description ? html`<p>${String(op.description)}</p>` : ""}
    ${
      params.length
        ? html`<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${params.map(
            (p) =>
              html`<tr><td><code>${String(p.name)}</code></td><td>${String(p.in)}</td><td>${p.required ? "yes" : "no"}</td><td><code>${JSON.stringify(p.schema ?? {})}</code></td></tr>`,
          )}</table>`
        : ""
    }
    ${body ? html`<h4>Request body</h4>${schemaBlock(body)}` : ""}
    <h4>Responses</h4>
    ${responses.map(([status, r]) => {
      const schema = asObject(asObject(asObject(r).content)["application/json"]).schema;
      return html`<div class="resp"><b>${status}</b> ${String(asObject(r).description ?? "")}${schemaBlock(schema)}</div>`;
    })}
  </details>`;
}

export function renderDocsPage(doc: Json): HtmlEscapedString | Promise<HtmlEscapedString> {
  const info = asObject(doc.info);
  const groups = new Map<string, ReturnType<typeof operation>[]>();
  for (const [path, item] of Object.entries(asObject(doc.paths))) {
    for (const method of METHODS) {
      const op = asObject(item)[method];
      if (!op) continue;
      const tag = ((asObject(op).tags as string[] | undefined) ?? ["other"])[0] ?? "other";
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)?.push(operation(path, method, asObject(op)));
    }
  }
  const schemas = asObject(asObject(doc.components).schemas);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${String(info.title)} — reference</title>
<style>${raw(STYLE)}</style></head>
<body><header><h1>${String(info.title)} <small>v${String(info.version)}</small></h1>
<p>${String(info.description ?? "")}</p><p><a href="/api/openapi.json">OpenAPI document (JSON)</a></p></header>
<nav>${[...groups.keys()].map((t) => html`<a href="#tag-${t}">${t}</a>`)}</nav>
<main>${[...groups.entries()].map(([tag, ops]) => html`<section id="tag-${tag}"><h2>${tag}</h2>${ops}</section>`)}
<section><h2>Schemas</h2>${Object.entries(schemas).map(([name, s]) => html`<details class="op"><summary><code>${name}</code></summary>${schemaBlock(s)}</details>`)}</section>
</main></body></html>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{padding:24px 32px;background:#15171c;color:#f5f5f7}header a{color:#ffc94d}
h1 small{font-size:14px;color:#aaa}nav{padding:8px 32px;background:#fff;border-bottom:1px solid #ddd;position:sticky;top:0}
nav a{margin-right:14px;color:#6b4e00}main{padding:16px 32px;max-width:1100px}
.op{background:#fff;border:1px solid #e3e3e3;border-radius:6px;margin:8px 0;padding:6px 12px}
summary{cursor:pointer}.m{display:inline-block;min-width:56px;font-weight:700;font-size:12px}
.get{color:#0a7d38}.post{color:#0b5cad}.put,.patch{color:#9a5b00}.delete{color:#b3261e}.s{color:#555}
pre{background:#f3f3f3;padding:8px;overflow:auto;font-size:12px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;font-size:13px}
`;
