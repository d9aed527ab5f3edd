// The dashboard's one TanStack Query client. Reads retry a server or network failure twice
// (never a 4xx: asking again gets the same answer); writes never retry on their own. A list
// asked for another page or filter keeps showing the rows it has until the new ones arrive, so it
// never flashes empty (pages remount on navigation, so this never mixes two pages' data). A write
// names the query families it changes in `meta.invalidates`, and succeeds only once those have
// refetched, so a list shows the new row by the time the form says "done".

import { HiveApiError } from "@hive/shared/api-client";
import { keepPreviousData, MutationCache, QueryClient, type QueryKey } from "@tanstack/react-query";

declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: { invalidates?: readonly QueryKey[] };
  }
}

const MAX_RETRIES = 2;

const isClientError = (error: unknown) => error instanceof HiveApiError && error.status >= 400 && error.status < 500;

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => failures < MAX_RETRIES && !isClientError(error),
        placeholderData: keepPreviousData,
      },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onSuccess: async (_data, _variables, _context, mutation) => {
        const keys = mutation.meta?.invalidates ?? [];
        await Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
      },
    }),
  });
  return client;
}
