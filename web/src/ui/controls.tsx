// The form controls every page repeats: a labelled input, textarea or select inside <Field>,
// with the house class and its links to the hint and the API's message, so a form states only
// what differs (its value, limits and options).
import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { describedBy, Field } from "./field";

type Own = "id" | "className" | "value" | "onChange" | "children";

interface Labelled {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value: string;
  onValue: (value: string) => void;
}

/** Names a form's controls: `at("name", "Name")` is the id, label and API message of field `name`
 * (`at("model-id", "Model id", "model.id")` where the API's path differs from the id). */
export const labelled =
  (formId: string, errors: Record<string, string>) =>
  (name: string, label: string, key = name) => ({ id: `${formId}-${name}`, label, error: errors[key] });

/** What every control gets: its id, the class, and aria state for its hint and error. */
const control = ({ id, hint, error }: Pick<Labelled, "id" | "hint" | "error">) => ({
  id,
  className: "input",
  "aria-invalid": error ? true : undefined,
  "aria-describedby": describedBy(id, Boolean(hint), error),
});

interface TextFieldProps extends Labelled, Omit<InputHTMLAttributes<HTMLInputElement>, Own> {
  ref?: Ref<HTMLInputElement>;
  /** Shown after the input, e.g. its <datalist>. */
  children?: ReactNode;
}

export function TextField({ label, hint, error, onValue, children, ...input }: TextFieldProps) {
  return (
    <Field id={input.id} label={label} hint={hint} error={error}>
      <input {...input} {...control({ id: input.id, hint, error })} onChange={(e) => onValue(e.target.value)} />
      {children}
    </Field>
  );
}

type TextAreaFieldProps = Labelled & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, Own>;

export function TextAreaField({ label, hint, error, onValue, ...area }: TextAreaFieldProps) {
  return (
    <Field id={area.id} label={label} hint={hint} error={error}>
      <textarea {...area} {...control({ id: area.id, hint, error })} onChange={(e) => onValue(e.target.value)} />
    </Field>
  );
}

interface SelectFieldProps extends Labelled, Omit<SelectHTMLAttributes<HTMLSelectElement>, Own | "multiple"> {
  /** The <option>s. */
  children: ReactNode;
}

export function SelectField({ label, hint, error, onValue, children, ...select }: SelectFieldProps) {
  const field = { id: select.id, hint, error };
  return (
    <Field {...field} label={label}>
      <select {...select} {...control(field)} onChange={(e) => onValue(e.target.value)}>
        {children}
      </select>
    </Field>
  );
}

interface CheckboxItemProps {
  checked: boolean;
  onChecked: (checked: boolean) => void;
  /** What the checkbox stands for. */
  children: ReactNode;
}

/** One item of a `checkbox-list`: a checkbox inside its label. */
export function CheckboxItem({ checked, onChecked, children }: CheckboxItemProps) {
  return (
    <li>
      <label>
        <input type="checkbox" checked={checked} onChange={(e) => onChecked(e.target.checked)} />
        {children}
      </label>
    </li>
  );
}
