// A list's one-choice filter in its heading row: "Any" or one of the options, applied at once
// (the page keeps it in the address).
import { ChoiceOptions } from "./field-choice";

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
        <ChoiceOptions choices={options} option={(o) => [o.value, o.label] as const} />
      </select>
    </label>
  );
}
