import { SELF } from "cloudflare:test";
import { it } from "vitest";

it("dump", async () => {
  const res = await SELF.fetch("http://localhost/api/openapi.json");
  console.log("OPENAPI>>" + (await res.text()) + "<<OPENAPI");
});
