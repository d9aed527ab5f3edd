// One time-series chart drawn with uPlot. Lines are told apart without colour: each has its
// own dash pattern and point marker (filled or hollow), the legend names them in words with the
// window's figure, and the same numbers are one click away as a table.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { DataTable, numeric } from "../../ui/data-table";

export interface ChartLine {
  label: string;
  /** One value per bucket; null where there is nothing to show. */
  values: (number | null)[];
  /** The window's figure shown in the legend, already formatted. */
  summary: string;
  /** Drawn against a right-hand axis (e.g. a rate beside counts). */
  right?: boolean;
}

/** Distinct line styles in order: solid with filled dots, dashed with hollow dots, dotted with squares. */
const STYLES = [
  { dash: [], fill: true, stroke: "#2563eb", marker: "●", pattern: "solid line" },
  { dash: [8, 5], fill: false, stroke: "#b45309", marker: "○", pattern: "dashed line" },
  { dash: [2, 4], fill: true, stroke: "#047857", marker: "■", pattern: "dotted line" },
] as const;

const time = (t: number) =>
  new Date(t).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function SeriesChart({
  id,
  title,
  times,
  lines,
  format,
}: {
  id: string;
  title: string;
  /** Bucket starts, epoch ms. */
  times: number[];
  lines: ChartLine[];
  format: (v: number | null, line: ChartLine) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = lines.map((l) => `${l.label}:${l.right ? 1 : 0}`).join("|");

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 220,
      legend: { show: false },
      scales: { x: { time: true }, right: { range: (_u, _min, max) => [0, Math.max(max, 0.01)] } },
      axes: [
        {},
        { size: 60 },
        ...(lines.some((l) => l.right) ? [{ side: 1, scale: "right", grid: { show: false } }] : []),
      ],
      series: [
        {},
        ...lines.map((l, i) => {
          const s = STYLES[i % STYLES.length] ?? STYLES[0];
          return {
            label: l.label,
            stroke: s.stroke,
            width: 2,
            dash: [...s.dash],
            spanGaps: false,
            ...(l.right ? { scale: "right" } : {}),
            points: { show: true, size: 6, width: 2, stroke: s.stroke, fill: s.fill ? s.stroke : "#fff" },
          };
        }),
      ],
    };
    const u = new uPlot(opts, [[], ...lines.map(() => [])], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(280, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt only when the lines themselves change (`shape`); new figures go through setData below.
  }, [shape]);

  useEffect(() => {
    plot.current?.setData([times.map((t) => t / 1000), ...lines.map((l) => l.values)]);
  }, [times, lines]);

  return (
    <section className="panel monitor-chart" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <ul className="monitor-legend" aria-label={`${title}: lines`}>
        {lines.map((l, i) => {
          const s = STYLES[i % STYLES.length] ?? STYLES[0];
          return (
            <li key={l.label}>
              <span className="monitor-swatch" aria-hidden="true" style={{ color: s.stroke }}>
                {s.marker}
              </span>{" "}
              <strong>{l.label}</strong> ({s.pattern}): <span data-testid={`${id}-${i}`}>{l.summary}</span>
            </li>
          );
        })}
      </ul>
      <div
        ref={box}
        className="monitor-plot"
        role="img"
        aria-label={`${title} chart; the table below has the figures`}
      />
      <details>
        <summary>Show as a table</summary>
        <DataTable columns={["Time", ...lines.map((l) => numeric(l.label))]}>
          {times.map((t, row) => (
            <tr key={t}>
              <td>{time(t)}</td>
              {lines.map((l) => (
                <td key={l.label} className="num">
                  {format(l.values[row] ?? null, l)}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      </details>
    </section>
  );
}
