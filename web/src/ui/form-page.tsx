// A page that starts or picks something from a list (a new run, two runs to compare): its frame,
// with a link back to that list where a list page has its "New" button. A page that is one form
// (`onSubmit`) gets the form, named by the page's title, after what `status` says (loading, failed).
import type { ComponentProps, ReactNode } from "react";
import { Page } from "../layout/page";
import { Link } from "../router/link";
import { submitted } from "./form-panel";

interface FormPageProps extends Omit<ComponentProps<typeof Page>, "actions"> {
  /** The list's address and the link's text, e.g. "/swarm" and "All runs". */
  back: { to: string; label: string };
  onSubmit?: () => void;
  status?: ReactNode;
}

export function FormPage({ back, onSubmit, status, children, ...page }: FormPageProps) {
  const link = (
    <Link to={back.to} className="button button-secondary">
      {back.label}
    </Link>
  );
  return (
    <Page {...page} actions={link}>
      {status}
      {onSubmit ? (
        <form className="form" onSubmit={(event) => submitted(event, onSubmit)} aria-label={page.title}>
          {children}
        </form>
      ) : (
        children
      )}
    </Page>
  );
}
