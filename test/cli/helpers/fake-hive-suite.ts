// One fake Hive API and one config folder per describe block, the setup `hive agents`, `hive chat`,
// `hive kb` and the option tests share (helpers/fake-api-suite.ts), with an empty request log
// before every test. The CLI signs in with the fake's API key.
import { beforeEach } from "node:test";
import { type FakeApiSuite, fakeApiSuite } from "./fake-api-suite";
import { API_KEY, type FakeHiveApi, startFakeHiveApi } from "./fake-hive-api";

export interface FakeHiveSuite extends FakeApiSuite<FakeHiveApi> {
  /** The environment `hive` needs to reach the fake. */
  env(): Record<string, string>;
}

export function fakeHiveSuite(name: string): FakeHiveSuite {
  const suite = fakeApiSuite(name, startFakeHiveApi);
  beforeEach(() => {
    suite.api.requests.length = 0;
    suite.api.bodies.clear();
  });
  return {
    get api() {
      return suite.api;
    },
    get dir() {
      return suite.dir;
    },
    env: () => ({ HIVE_URL: suite.api.url, HIVE_API_KEY: API_KEY, XDG_CONFIG_HOME: suite.dir }),
  };
}
