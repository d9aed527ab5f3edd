// Benign messages for bench/safety.ts's false-positive check on ordinary use, read from
// bench/fixtures/benign-chat.txt: greetings, one-word replies and commands, questions, task
// instructions, support requests, documentation and code. Written by hand, separately from the
// training generators (scripts/benign-chat.ts, scripts/short-chat.ts), and never trained on.
import { readFileSync } from "node:fs";

const FIXTURE = new URL("../fixtures/benign-chat.txt", import.meta.url);

export const ORDINARY_CHAT: string[] = readFileSync(FIXTURE, "utf8")
  .split("\n")
  .filter((line) => line.trim() && !line.startsWith("#"));
