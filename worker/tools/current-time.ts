import { z } from "zod";
import { defineTool } from "./types";

/** True when the runtime's Intl data knows the zone (IANA names like "Europe/Paris", or "UTC"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const currentTimeTool = defineTool({
  name: "current_time",
  description: "The current date and time, in UTC or in an IANA time zone such as Europe/Paris.",
  parameters: z.object({
    timezone: z
      .string()
      .max(64)
      .refine(isTimeZone, "must be an IANA time zone such as Europe/Paris or UTC")
      .default("UTC")
      .describe("IANA time zone name"),
  }),
  sideEffects: false,
  untrustedOutput: false,
  async run({ timezone }) {
    const now = new Date();
    const local = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      weekday: "long",
      timeZoneName: "short",
    }).format(now);
    return { content: `${local} (${timezone}); UTC ${now.toISOString()}`, meta: { iso: now.toISOString(), timezone } };
  },
});
