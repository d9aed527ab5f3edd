// A page that starts or picks something from a list (a new run, two runs to compare): its frame,
// with a link back to that list where a list page has its "New" button.
import type { ComponentProps } from "react";
import { Page } from "../layout/page";
import { Link } from "../router/link";

interface FormPageProps extends Omit<ComponentProps<typeof Page>, "actions"> {
  /** The list's address and the link's text, e.g. "/swarm" and "All runs". */
  back: { to: string; label: string };
}

export function FormPage({ back, ...page }: FormPageProps) {
  return (
    <Page
      {...page}
      actions={
        <Link to={back.to} className="button button-secondary">
          {back.label}
        </Link>
      }
    />
  );
}
