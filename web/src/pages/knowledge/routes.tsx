// Pages under Knowledge.
import type { PageRoute, RouteParams } from "../../router/match";
import { KnowledgeBasePage } from "./kb-page";
import { SearchPage } from "./search-page";

const id = (p: RouteParams) => p.id ?? "";

export const KNOWLEDGE_ROUTES: readonly PageRoute[] = [
  { pattern: "/knowledge/:id", section: "/knowledge", render: (p) => <KnowledgeBasePage kbId={id(p)} /> },
  { pattern: "/knowledge/:id/search", section: "/knowledge", render: (p) => <SearchPage kbId={id(p)} /> },
];
