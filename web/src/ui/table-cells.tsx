// Cells the list tables share: a row's name linking to its page, who a row of the people tables
// (platform users, workspace members) is, and a choice changed in place, labelled for screen
// readers since the column heading alone does not say whose.
import { type ReactNode, useId } from "react";
import { Link } from "../router/link";
import { ChoiceOptions } from "./field-choice";
import type { OptionsSelectProps } from "./filter-form";

interface NameCellProps {
  to: string;
  name: ReactNode;
  /** Under the name, e.g. the description or the id; left out when empty. */
  note?: ReactNode;
}

/** The row's heading cell: its name, opening the item's page. */
export function NameCell({ to, name, note }: NameCellProps) {
  return (
    <th scope="row">
      <Link to={to}>{name}</Link>
      {note ? <span className="cell-note">{note}</span> : null}
    </th>
  );
}

interface PersonCellProps {
  name: string;
  email: string;
  isSelf: boolean;
  /** After the email, e.g. a "service account" pill. */
  children?: ReactNode;
}

export function PersonCell({ name, email, isSelf, children }: PersonCellProps) {
  return (
    <th scope="row">
      {name}
      {isSelf ? <span className="muted"> (you)</span> : null}
      <span className="cell-note">{email}</span>
      {children}
    </th>
  );
}

/** Its label is e.g. "Role of ada@example.com". */
interface RowSelectProps extends OptionsSelectProps {
  disabled: boolean;
}

export function RowSelect({ label, value, disabled, onValue, options }: RowSelectProps) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <select id={id} className="input" value={value} disabled={disabled} onChange={(e) => onValue(e.target.value)}>
        <ChoiceOptions choices={options} option={(pair) => pair} />
      </select>
    </>
  );
}
