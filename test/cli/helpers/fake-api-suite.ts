// One fake API (any of the helpers/fake-*.ts, or a listenLocal server) and one config folder per
// describe block, the setup every `hive` test file needs: started before the block, stopped and
// removed after it. helpers/fake-hive-suite.ts adds the Hive fake's sign-in and request log on top.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";

export interface FakeApiSuite<Api> {
  /** The running fake; read it inside hooks and tests only. */
  readonly api: Api;
  /** The block's own folder (XDG_CONFIG_HOME, or files for the test). */
  readonly dir: string;
}

export function fakeApiSuite<Api extends { close(): Promise<void> }>(
  name: string,
  start: () => Promise<Api>,
): FakeApiSuite<Api> {
  let api: Api | undefined;
  let dir = "";
  before(async () => {
    api = await start();
    dir = await mkdtemp(join(tmpdir(), `hive-${name}-`));
  });
  after(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get api() {
      if (!api) throw new Error("the fake API runs only inside the describe block's hooks and tests");
      return api;
    },
    get dir() {
      return dir;
    },
  };
}
