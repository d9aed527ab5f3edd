// The layering rule of docs/architecture.md as code, so a wrong-way import fails the build suite
// instead of waiting for a reviewer: worker/ sees durable-objects/ for types only, worker/core/
// imports no feature, shared/ carries no Worker code, web/ and cli/ reach the Worker only
// through shared/. Imports are read with TypeScript's own parser, so `import type`, re-exports,
// `import("...")` types and dynamic imports are told apart exactly.
import { dirname, join, normalize } from "node:path";
import ts from "typescript";

// web/ and cli/ may still read Worker response types until they move into shared/; turn this on
// then, and type imports from worker/ or durable-objects/ fail there too.
export const FORBID_TYPE_IMPORTS_IN_CLIENTS = false;

/** One module reference; `names` are the bindings it imports by name (an `import("x").Y` type: Y). */
export type Import = { specifier: string; typeOnly: boolean; line: number; names: string[] };
export type Offence = { file: string; line: number; specifier: string; rule: string };

// Every module reference in one file, with whether it survives compilation (a value import) or
// is erased (a type import). `import { type A }` keeps a side-effect import under
// verbatimModuleSyntax, so only `import type` / `export type` count as type-only.
export function importsOf(fileName: string, text: string): Import[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const found: Import[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean, names: string[] = []) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ specifier: literal.text, typeOnly, line, names });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false, importedNames(node.importClause));
    } else if (ts.isExportDeclaration(node)) {
      const names = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : [];
      add(node, node.moduleSpecifier, node.isTypeOnly, ["*", ...names.map((e) => (e.propertyName ?? e.name).text)]);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly, ["*"]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true, [node.qualifier ? firstName(node.qualifier) : "*"]);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false, ["*"]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** What an import clause binds: its named imports, "default", or "*" for a namespace. */
function importedNames(clause: ts.ImportClause | undefined): string[] {
  if (!clause) return [];
  const names = clause.name ? ["default"] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push("*");
  else if (bindings) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).text));
  return names;
}

const firstName = (name: ts.EntityName): string => (ts.isIdentifier(name) ? name.text : firstName(name.left));

/** The Durable Object classes a module exports: `export class X extends ...` (a store it uses is not one). */
export function durableObjectClasses(fileName: string, text: string): Set<string> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKind(fileName));
  const out = new Set<string>();
  for (const statement of source.statements) {
    const exported = ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported || !ts.isClassDeclaration(statement) || !statement.name) continue;
    const extendsBase = statement.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
    if (extendsBase) out.add(statement.name.text);
  }
  return out;
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (fileName.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

// A relative specifier as a repo-relative path ("worker/core/errors"); packages stay as written.
export function resolveSpecifier(file: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  return normalize(join(dirname(file), specifier))
    .split("\\")
    .join("/");
}

const isUnder = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

// The feature folder of a worker/ path ("worker/chat/loop" -> "chat"); files at worker/'s top
// level (app.ts, index.ts) are the entry, not a feature.
function workerFolder(path: string): string | undefined {
  const parts = path.split("/");
  return parts[0] === "worker" && parts.length > 2 ? parts[1] : undefined;
}

/** The Durable Object classes of a repo-relative module path without extension ("durable-objects/counters"). */
export type ClassLookup = (modulePath: string) => Set<string>;

// The rules one import of one file breaks (file and target are repo-relative, "/"-separated).
export function offences(file: string, imported: Import, classesOf: ClassLookup): Offence[] {
  const target = resolveSpecifier(file, imported.specifier);
  const out: Offence[] = [];
  const fail = (rule: string) => out.push({ file, line: imported.line, specifier: imported.specifier, rule });
  const intoWorker = isUnder(target, "worker");
  const intoHosts = isUnder(target, "durable-objects");

  if (isUnder(file, "worker")) {
    if (intoHosts && file !== "worker/index.ts") {
      if (!imported.typeOnly) {
        fail("worker/ imports durable-objects/ with `import type` only (the entry file re-exports the classes)");
      } else {
        const classes = classesOf(target);
        const others = imported.names.filter((n) => !classes.has(n));
        if (others.length > 0) {
          const names = others.join(", ");
          fail(`worker/ takes only Durable Object classes from durable-objects/; move ${names} into worker/`);
        }
      }
    }
    if (isUnder(file, "worker/core") && intoWorker) {
      const folder = workerFolder(target);
      // The entry file, as a type: the generated Env names the Durable Object classes it exports.
      if (folder === undefined && !imported.typeOnly) fail("worker/core/ imports the entry file for types only");
      else if (folder !== undefined && folder !== "core") {
        fail(`worker/core/ imports no feature folder (this one reaches worker/${folder})`);
      }
    }
  }
  if (isUnder(file, "shared") && (intoWorker || intoHosts) && !imported.typeOnly) {
    fail("shared/ imports worker/ and durable-objects/ for types only");
  }
  if ((isUnder(file, "web") || isUnder(file, "cli")) && (intoWorker || intoHosts)) {
    if (!imported.typeOnly) fail("web/ and cli/ reach the Worker through shared/, never its code");
    else if (FORBID_TYPE_IMPORTS_IN_CLIENTS) fail("web/ and cli/ take API types from shared/, not worker/");
  }
  return out;
}

export function checkFile(file: string, text: string, classesOf: ClassLookup): Offence[] {
  return importsOf(file, text).flatMap((imported) => offences(file, imported, classesOf));
}
