// What each dashboard section will hold once its feature lands, and the API it will sit on.
// Until then the page says so and points at the live API reference; no sample data is shown.
import type { IconName } from "../../layout/icons";

export interface PlannedSection {
  path: string;
  title: string;
  icon: IconName;
  lead: string;
  will: string[];
  endpoints: string[];
}

export const PLANNED_SECTIONS: readonly PlannedSection[] = [
  {
    path: "/swarm",
    title: "Swarm",
    icon: "swarm",
    lead: "Let several agents work one task together and watch the run.",
    will: ["Runs with their status, steps and result", "A live event stream of the protocol messages between agents", "Cancelling a run in progress"],
    endpoints: ["GET /api/swarm/runs", "POST /api/swarm/runs/:id/cancel", "GET /api/swarm/runs/:id/events"],
  },
  {
    path: "/safety",
    title: "Safety",
    icon: "safety",
    lead: "Govern what goes into and comes out of every model call.",
    will: ["Guard events: prompt injection, personal data and moderation findings, per agent", "A playground that runs the guard pipeline on any text"],
    endpoints: ["GET /api/safety/events", "POST /api/safety/check"],
  },
];
