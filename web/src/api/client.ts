// The dashboard's API client. Same origin everywhere (wrangler dev, the Vite proxy, the Pages
// Function), so the base URL is empty and the session cookie rides along.
import { HiveClient } from "@hive/shared/api-client";
import { watchSession } from "../pages/auth/session-events";

// Every answer passes the session watcher, so a 401 anywhere brings back the sign-in page.
export const api = new HiveClient({
  baseUrl: "",
  credentials: "same-origin",
  fetch: watchSession((url, init) => fetch(url, init)),
});
