// Numeric flags are parsed by one function for every command (cli/src/options.ts): a value that
// `Number()` would quietly turn into something else ("" into 0, "0x10" into 16, "1e3" into 1000)
// is a usage error (exit 64) before any request is sent.
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { CliError } from "../../cli/src/command";
import { integerOption, numberOption } from "../../cli/src/options";
import { kbOf } from "./helpers/fake-hive-api";
import { fakeHiveSuite } from "./helpers/fake-hive-suite";
import { runHive } from "./helpers/run-hive";

const usageError = (message: RegExp) => (err: unknown) =>
  err instanceof CliError && err.exitCode === 64 && message.test(err.message);

describe("integerOption and numberOption", () => {
  test("read plain decimal numbers, trimmed; an absent flag is undefined", () => {
    assert.equal(integerOption({ n: "42" }, "n"), 42);
    assert.equal(integerOption({ n: " -7 " }, "n"), -7);
    assert.equal(integerOption({}, "n"), undefined);
    assert.equal(numberOption({ t: "0.25" }, "t"), 0.25);
    assert.equal(numberOption({ t: ".5" }, "t"), 0.5);
    assert.equal(numberOption({ t: "2" }, "t"), 2);
  });

  test("refuse blanks, hex, exponents, fractions for whole numbers and unsafe integers", () => {
    for (const bad of ["", " ", "0x10", "1e3", "1.5", "12abc", "Infinity", "9007199254740993"]) {
      assert.throws(() => integerOption({ n: bad }, "n"), usageError(/^--n must be a whole number \(got '.*'\)$/), bad);
    }
    for (const bad of ["", "warm", "0x1", "1e-3", "NaN", "1.2.3"]) {
      assert.throws(() => numberOption({ t: bad }, "t"), usageError(/^--t must be a number \(got '.*'\)$/), bad);
    }
  });

  test("check bounds and say which", () => {
    assert.equal(integerOption({ k: "1" }, "k", { min: 1 }), 1);
    assert.throws(
      () => integerOption({ k: "0" }, "k", { min: 1 }),
      usageError(/^--k must be a whole number of at least 1 \(got '0'\)$/),
    );
    assert.throws(() => integerOption({ k: "9" }, "k", { max: 5 }), usageError(/of at most 5/));
    assert.throws(
      () => numberOption({ t: "3" }, "t", { min: 0, max: 2 }),
      usageError(/^--t must be a number from 0 to 2/),
    );
  });
});

describe("numeric flags of hive commands", { timeout: 120_000 }, () => {
  const fake = fakeHiveSuite("options");
  const env = fake.env;

  beforeEach(() => {
    fake.api.knowledgeBases = [kbOf("kb_handbook", "Handbook")];
  });

  test("kb create, kb search and agents create refuse what Number() would have let through", async () => {
    const cases: [string[], RegExp][] = [
      [["kb", "create", "--name", "x", "--chunk-size", ""], /--chunk-size must be a whole number \(got ''\)/],
      [
        ["kb", "create", "--name", "x", "--chunk-overlap", "1e1"],
        /--chunk-overlap must be a whole number \(got '1e1'\)/,
      ],
      [
        ["kb", "search", "Handbook", "toner", "--top-k", "0x10"],
        /--top-k must be a whole number of at least 1 \(got '0x10'\)/,
      ],
      [
        ["agents", "create", "--name", "x", "--max-tokens", "0x100"],
        /--max-tokens must be a whole number \(got '0x100'\)/,
      ],
      [["agents", "create", "--name", "x", "--temperature", ""], /--temperature must be a number \(got ''\)/],
    ];
    for (const [args, message] of cases) {
      const run = await runHive(args, env());
      assert.equal(run.code, 64, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(" "));
    }
    assert.equal(fake.api.bodies.size, 0, "nothing was sent");
  });
});
