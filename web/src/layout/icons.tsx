// Outline icons for the navigation (24px grid, stroke only), hidden from assistive technology
// because every link also has its text.
const PATHS = {
  status: "M3 12h4l3-8 4 16 3-8h4",
  agents: "M12 3a4 4 0 1 1 0 8 4 4 0 0 1 0-8zM4 21a8 8 0 0 1 16 0",
  knowledge: "M4 4h7a3 3 0 0 1 3 3v13a2 2 0 0 0-2-2H4zM20 4h-4a2 2 0 0 0-2 2",
  swarm: "M12 2 20 7v10l-8 5-8-5V7zM12 8v8M8 10l8 4M16 10l-8 4",
  monitoring: "M3 3v18h18M7 15l4-5 3 3 5-7",
  safety: "M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6zM9 12l2 2 4-4",
  evals: "M9 3h6M10 3v6l-5 9a2 2 0 0 0 1.7 3h10.6a2 2 0 0 0 1.7-3l-5-9V3M7.5 14h9",
  members:
    "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6.5 6.5 0 0 1 3.5 6",
  keys: "M7.5 8a4 4 0 1 1 0 8 4 4 0 0 1 0-8zM11.5 12H21M17 12v3M20 12v3",
  usage: "M4 20V10M10 20V4M16 20v-7M22 20H2",
  audit: "M9 3h6v3H9zM7 4.5H5V21h14V4.5h-2M8 11h8M8 14.5h8M8 18h5",
  traces: "M3 5h10M6 10h12M9 15h8M12 20h6",
  users:
    "M10 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM3 21a7 7 0 0 1 10.5-6M18 13l3 1.2V17c0 2-1.3 3.4-3 4-1.7-.6-3-2-3-4v-2.8z",
  settings:
    "M12 9a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
