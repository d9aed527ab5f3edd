import { Page } from "../layout/page";
import { Link } from "../router/link";

export function NotFoundPage({ pathname }: { pathname: string }) {
  return (
    <Page title="Page not found">
      <section className="panel">
        <p>
          There is no dashboard page at <code>{pathname}</code>. Go to the <Link to="/status">Status</Link> page.
        </p>
      </section>
    </Page>
  );
}
