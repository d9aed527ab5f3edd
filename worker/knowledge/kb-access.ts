// How the routes under /api/knowledge-bases/:id start: the caller and that knowledge base of
// their workspace (404 for another workspace's). Changing it, or its documents, also takes the
// right to manage it (its owner or a workspace admin; 403 for anyone else).
import type { Context } from "hono";
import { callerWith } from "../core/caller";
import type { HonoEnv } from "../core/env";
import { assertCanManage, findKnowledgeBase } from "./kb-store";

/** The caller (`p`), the database and the caller's knowledge base `id` (`row`). */
export const knowledgeBaseOf = (c: Context<HonoEnv>, id: string) =>
  callerWith(c, (db, p, kbId) => findKnowledgeBase(db, p.workspaceId, kbId), id);

/** As knowledgeBaseOf, for a change: only for a caller who may manage the knowledge base. */
export async function managedKnowledgeBase(c: Context<HonoEnv>, id: string) {
  const found = await knowledgeBaseOf(c, id);
  assertCanManage(found.p, found.row);
  return found;
}
