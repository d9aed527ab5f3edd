// A page whose subject (an agent, a knowledge base) has not loaded: its frame with the loading
// line, or the failure and "Try again", in place of the content.
import type { ComponentProps } from "react";
import { QueryState } from "../ui/query-state";
import { Page } from "./page";

export function QueryPage({ title, ...state }: { title: string } & ComponentProps<typeof QueryState>) {
  return (
    <Page title={title}>
      <QueryState {...state} />
    </Page>
  );
}
