// An on/off toggle announced as a switch, with its state in words as well as in colour.
export function SwitchButton({
  label,
  on,
  busy,
  onToggle,
}: {
  label: string;
  on: boolean;
  busy: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={label}
      className={`switch ${on ? "switch-on" : ""}`}
      disabled={busy}
      onClick={onToggle}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className="switch-text">{on ? "On" : "Off"}</span>
    </button>
  );
}
