// A list's one-choice filter in its heading row: "Any" or one of the options, applied at once
// (the page keeps it in the address).
import { Options } from "./list-options";

interface FilterSelectProps {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onValue: (value: string) => void;
}

export function FilterSelect({ label, value, options, onValue }: FilterSelectProps) {
  return (
    <label className="small">
      {label}{" "}
      <select className="input" value={value} onChange={(e) => onValue(e.target.value)}>
        <option value="">Any</option>
        <Options options={options.map((o) => [o.value, o.label] as const)} />
      </select>
    </label>
  );
}
