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
    path: "/agents",
    title: "Agents",
    icon: "agents",
    lead: "Define agents, version their configuration and talk to them.",
    will: [
      "Every agent in the workspace with its model, tools and safety policy",
      "Version history, with the configuration each conversation ran on",
      "A chat panel streaming replies, with the sources each answer used",
    ],
    endpoints: ["GET /api/agents", "GET /api/agents/:id/versions", "POST /api/agents/:id/chat", "GET /api/conversations"],
  },
  {
    path: "/knowledge",
    title: "Knowledge",
    icon: "knowledge",
    lead: "Give agents knowledge: upload documents and search what they retrieve.",
    will: [
      "Knowledge bases and their documents, with ingestion progress",
      "Search over chunks, showing the passages an agent would be given",
    ],
    endpoints: ["GET /api/knowledge-bases", "GET /api/knowledge-bases/:id/documents", "POST /api/knowledge-bases/:id/search"],
  },
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
  {
    path: "/settings",
    title: "Settings",
    icon: "settings",
    lead: "Workspace members, API keys, feature flags and the effective configuration.",
    will: [
      "Members and their roles (admin, user, read-only)",
      "API keys with scopes: created, shown once, revoked",
      "Feature flags, rollouts and kill switches",
      "The audit log of every change",
    ],
    endpoints: ["GET /api/workspaces/:id/members", "GET /api/keys", "GET /api/flags", "GET /api/audit", "GET /api/admin/config"],
  },
];
