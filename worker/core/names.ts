// Names people give things (agents, knowledge bases, documents, workspaces, keys, users,
// conversation titles) are shown in terminals, logs and the dashboard. A control character in
// one is an instruction to a terminal (recolour, retitle, overwrite a line), never part of a
// name, so the API refuses them (400) instead of storing them.
import { z } from "@hono/zod-openapi";

// C0 controls (tab and newline included), DEL, C1 controls, and the bidi overrides that can
// make a name read differently from what it is.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/** A trimmed, non-empty name of at most `max` characters, without control characters. */
export const displayName = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !hasControlCharacters(v), "must not contain control characters");
