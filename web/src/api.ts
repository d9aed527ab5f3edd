// The dashboard's API client. Same origin everywhere (wrangler dev, the Vite proxy, the Pages
// Function), so the base URL is empty and the session cookie rides along.
import { HiveClient } from "../../shared/api-client";

export const api = new HiveClient({ baseUrl: "", credentials: "same-origin" });
