import { Page } from "../../layout/page";
import type { PlannedSection } from "./sections";

export function PlannedPage({ section }: { section: PlannedSection }) {
  const headingId = `${section.path.slice(1)}-planned`;
  return (
    <Page title={section.title} lead={section.lead}>
      <section className="panel" aria-labelledby={headingId}>
        <h2 id={headingId}>Coming to this page</h2>
        <ul className="plain-list">
          {section.will.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <h3>API it will use</h3>
        <ul className="endpoint-list">
          {section.endpoints.map((endpoint) => (
            <li key={endpoint}>
              <code>{endpoint}</code>
            </li>
          ))}
        </ul>
        <p>
          Until then, everything here is available through the API: see the <a href="/api/docs">API reference</a>.
        </p>
      </section>
    </Page>
  );
}
