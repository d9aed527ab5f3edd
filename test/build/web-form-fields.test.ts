// The dashboard's shared form fields (web/src/ui/field-*.tsx, issue 16) say what the pages said
// before they were shared: a range's hint states its limits (large ones grouped), a new
// password's hint starts with the minimum length the input enforces, a choice list offers "none"
// first. Rendered to HTML with the dashboard's own tsconfig (the automatic JSX runtime).
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { tsImport } from "tsx/esm/api";

const tsconfig = fileURLToPath(new URL("../../web/tsconfig.json", import.meta.url));
const load = <T>(path: string): Promise<T> =>
  tsImport(`../../web/src/ui/${path}`, { parentURL: import.meta.url, tsconfig }) as Promise<T>;

const onValue = () => {};

test("a range field bounds the input and states the limits in its hint", async () => {
  const { RangeField } = await load<typeof import("../../web/src/ui/field-range")>("field-range.tsx");
  const html = (range: { min: number; max: number; step?: number }, about?: string) =>
    renderToStaticMarkup(createElement(RangeField, { id: "n", label: "N", range, about, value: "1", onValue }));
  const tokens = html({ min: 100, max: 2_000_000 }, "In + out");
  assert.match(tokens, /<input id="n" type="number" min="100" max="2000000" required=""/);
  assert.match(tokens, /<p class="field-hint" id="n-hint">In \+ out, 100 to 2,000,000<\/p>/);
  assert.match(html({ min: 1, max: 8192, step: 1 }, "Per model call"), />Per model call, 1 to 8192</);
  assert.match(html({ min: 0, max: 2, step: 0.1 }), /step="0.1"[^>]*>.*>0 to 2</);
});

test("a new password needs 12 characters and says so; the current one only autocompletes", async () => {
  const { PasswordField } = await load<typeof import("../../web/src/ui/field-password")>("field-password.tsx");
  const fresh = renderToStaticMarkup(
    createElement(PasswordField, {
      id: "p",
      label: "New",
      purpose: "new",
      hint: "a long passphrase is best.",
      value: "",
      onValue,
    }),
  );
  assert.match(fresh, /minLength="12" type="password" autoComplete="new-password" required=""/);
  assert.match(fresh, />At least 12 characters; a long passphrase is best.</);
  const current = renderToStaticMarkup(
    createElement(PasswordField, { id: "c", label: "Password", purpose: "current", value: "", onValue }),
  );
  assert.match(current, /<input id="c" type="password" autoComplete="current-password" required=""/);
  assert.doesNotMatch(current, /minLength|field-hint/);
});

test("a choice field offers its none option first, then one option per item", async () => {
  const { ChoiceField, named } = await load<typeof import("../../web/src/ui/field-choice")>("field-choice.tsx");
  const agents = [
    { id: "a1", name: "Helpdesk" },
    { id: "a2", name: "Researcher" },
  ];
  const html = renderToStaticMarkup(
    createElement(ChoiceField<(typeof agents)[number]>, {
      id: "s",
      label: "Agent",
      none: "Choose an agent",
      choices: agents,
      option: named,
      value: "a2",
      onValue,
    }),
  );
  assert.match(
    html,
    /<select id="s" class="input"><option value="">Choose an agent<\/option><option value="a1">Helpdesk<\/option><option value="a2" selected="">Researcher<\/option><\/select>/,
  );
  const loading = renderToStaticMarkup(
    createElement(ChoiceField<string>, {
      id: "t",
      label: "T",
      choices: undefined,
      option: (s) => [s, s],
      value: "",
      onValue,
    }),
  );
  assert.match(loading, /<select id="t" class="input"><\/select>/);
});
