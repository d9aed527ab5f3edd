// One fake Hive API and one config folder per describe block, the setup `hive agents`, `hive chat`
// and `hive kb` tests share: started before the block, stopped and removed after it, with an empty
// request log before every test. The CLI signs in with the fake's API key.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach } from "node:test";
import { API_KEY, type FakeHiveApi, startFakeHiveApi } from "./fake-hive-api";

export interface FakeHiveSuite {
  /** The running fake; read it inside hooks and tests only. */
  readonly api: FakeHiveApi;
  /** The block's XDG_CONFIG_HOME, free for the test's own files too. */
  readonly dir: string;
  /** The environment `hive` needs to reach the fake. */
  env(): Record<string, string>;
}

export function fakeHiveSuite(name: string): FakeHiveSuite {
  let api: FakeHiveApi | undefined;
  let dir = "";
  const running = (): FakeHiveApi => {
    if (!api) throw new Error("the fake Hive API runs only inside the describe block's hooks and tests");
    return api;
  };
  before(async () => {
    api = await startFakeHiveApi();
    dir = await mkdtemp(join(tmpdir(), `hive-${name}-`));
  });
  after(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    running().requests.length = 0;
    running().bodies.clear();
  });
  return {
    get api() {
      return running();
    },
    get dir() {
      return dir;
    },
    env: () => ({ HIVE_URL: running().url, HIVE_API_KEY: API_KEY, XDG_CONFIG_HOME: dir }),
  };
}
