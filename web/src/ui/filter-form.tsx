// A list page's filter bar: the filters are edited as a draft and applied together (so each
// keystroke does not query the API), and Clear empties and applies them at once. The page keeps
// the applied filters in the address.
import { type ReactNode, useState } from "react";
import { SelectField } from "./controls";
import { ChoiceOptions } from "./field-choice";
import { submitted } from "./form-panel";

type Setter<T> = <K extends keyof T>(key: K, value: T[K]) => void;

interface FilterFormProps<T> {
  /** The form's accessible name, e.g. "Audit log filters". */
  label: string;
  className?: string;
  initial: T;
  /** What Clear applies. */
  empty: T;
  onApply: (filters: T) => void;
  children: (draft: T, set: Setter<T>) => ReactNode;
}

export function FilterForm<T extends object>({
  label,
  className = "form",
  initial,
  empty,
  onApply,
  children,
}: FilterFormProps<T>) {
  const [draft, setDraft] = useState(initial);
  const set: Setter<T> = (key, value) => setDraft((d) => ({ ...d, [key]: value }));
  const clear = () => {
    setDraft(empty);
    onApply(empty);
  };
  return (
    <form className={className} onSubmit={(event) => submitted(event, () => onApply(draft))} aria-label={label}>
      {children(draft, set)}
      <div className="form-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button type="button" className="button button-secondary" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}

/** A select over [value, label] pairs, reporting the chosen value. */
export interface OptionsSelectProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly (readonly [string, string])[];
}

/** The options come after "Any" (the empty value). */
interface AnySelectProps extends OptionsSelectProps {
  id: string;
}

/** A filter that is off ("Any") or one of a few values. */
export function AnySelect({ options, ...select }: AnySelectProps) {
  return (
    <SelectField {...select}>
      <option value="">Any</option>
      <ChoiceOptions choices={options} option={(pair) => pair} />
    </SelectField>
  );
}

/** A filter switched on or off by a checkbox, e.g. "Errors only". */
export function CheckFilter({
  label,
  checked,
  onValue,
}: {
  label: string;
  checked: boolean;
  onValue: (checked: boolean) => void;
}) {
  return (
    <label className="check field">
      <input type="checkbox" checked={checked} onChange={(e) => onValue(e.target.checked)} />
      {label}
    </label>
  );
}

/** Platform admins' switch to read every workspace's rows (the lists' `?all=true`); others get nothing. */
export function AllWorkspacesFilter({
  shown,
  checked,
  onValue,
}: {
  shown: boolean;
  checked: boolean;
  onValue: (checked: boolean) => void;
}) {
  return shown ? <CheckFilter label="Every workspace (platform admin)" checked={checked} onValue={onValue} /> : null;
}
