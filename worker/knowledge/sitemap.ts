// Sitemaps (sitemaps.org) as a list of pages to fetch: the <loc> of every <url> in a urlset, or,
// for a sitemap index, of every <url> in its child sitemaps (followed one level, at most
// MAX_CHILD_SITEMAPS of them). Every sitemap is fetched through the same guard as the pages.
import type { FetchRefusal } from "./url-schemas";

export const MAX_SITEMAP_URLS = 200;
const MAX_CHILD_SITEMAPS = 10;

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The <loc> values of one sitemap document, in order; `index` when it is a sitemap index. */
export function parseSitemap(xml: string): { index: boolean; locs: string[] } {
  const index = /<sitemapindex[\s>]/i.test(xml);
  const locs = [...xml.matchAll(/<loc>\s*(?:<!\[CDATA\[)?([\s\S]*?)(?:\]\]>)?\s*<\/loc>/gi)]
    .map((m) => (m[1] ?? "").replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e] ?? "").trim())
    .filter(Boolean);
  return { index, locs };
}

export type SitemapReader = (url: string) => Promise<string>;

/** Page URLs listed by the sitemap at `url`, up to MAX_SITEMAP_URLS; what could not be read or did not fit is refused. */
export async function sitemapPages(
  url: string,
  read: SitemapReader,
  refuse: (url: string, err: unknown) => FetchRefusal,
): Promise<{ pages: string[]; refused: FetchRefusal[] }> {
  const root = parseSitemap(await read(url));
  const refused: FetchRefusal[] = [];
  let pages = root.locs;
  if (root.index) {
    pages = [];
    for (const child of root.locs.slice(0, MAX_CHILD_SITEMAPS)) {
      try {
        pages.push(...parseSitemap(await read(child)).locs);
      } catch (err) {
        refused.push(refuse(child, err));
      }
    }
    for (const child of root.locs.slice(MAX_CHILD_SITEMAPS)) {
      refused.push(limit(child, `A sitemap index is read up to ${MAX_CHILD_SITEMAPS} child sitemaps`));
    }
  }
  const unique = [...new Set(pages)];
  const over = unique.length - MAX_SITEMAP_URLS;
  if (over > 0) refused.push(limit(url, `${over} more URLs not queued: at most ${MAX_SITEMAP_URLS} per sitemap`));
  return { pages: unique.slice(0, MAX_SITEMAP_URLS), refused };
}

const limit = (url: string, message: string): FetchRefusal => ({ url, error: { code: "LIMIT_EXCEEDED", message } });
