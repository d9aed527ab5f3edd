// A page-wide choice among a few named values (a time window, a grouping) kept in the address as
// `?param=value`; the default is left out, so the plain address shows it. One `Choice` says how
// it is read and written.
import { updateSearch } from "../router/search-params";
import { SelectField } from "./controls";
import { ChoiceOptions } from "./field-choice";

export interface Choice<K extends string> {
  /** The search param, e.g. "window". */
  param: string;
  options: readonly K[];
  labels: Record<K, string>;
  /** The default, left out of the address. */
  fallback: K;
}

/** The choice the address holds, or the default when it holds none of the options. */
export const choiceOf = <K extends string>(search: URLSearchParams, choice: Choice<K>): K =>
  choice.options.find((o) => o === search.get(choice.param)) ?? choice.fallback;

interface ChoiceSelectProps<K extends string> {
  id: string;
  label: string;
  choice: Choice<K>;
  value: K;
}

export function ChoiceSelect<K extends string>({ choice, ...field }: ChoiceSelectProps<K>) {
  const { param, fallback } = choice;
  return (
    <SelectField {...field} onValue={(v) => updateSearch({ [param]: v === fallback ? null : v })}>
      <ChoiceOptions choices={choice.options} option={(o) => [o, choice.labels[o]] as const} />
    </SelectField>
  );
}
