// A select whose options come from a list (datasets, agents, runs, strategies): the list is named
// once with how an item becomes an option, and an optional first option stands for no choice.
import type { ComponentProps, ReactNode } from "react";
import { SelectField } from "./controls";

interface ChoicesProps<T> {
  /** Still loading: none yet. */
  choices: readonly T[] | undefined;
  /** An item's value and what the option shows. */
  option: (choice: T) => readonly [value: string, text: ReactNode];
}

/** The <option>s of a list, also for a select that is not a ChoiceField (one of several choices). */
export function ChoiceOptions<T>({ choices = [], option }: ChoicesProps<T>) {
  return choices.map(option).map(([value, text]) => (
    <option key={value} value={value}>
      {text}
    </option>
  ));
}

interface ChoiceFieldProps<T> extends ChoicesProps<T>, Omit<ComponentProps<typeof SelectField>, "children"> {
  /** The first option, with the empty value, e.g. "Choose an agent" or "None". */
  none?: string;
}

export function ChoiceField<T>({ none, choices, option, ...select }: ChoiceFieldProps<T>) {
  return (
    <SelectField {...select}>
      {none === undefined ? null : <option value="">{none}</option>}
      <ChoiceOptions choices={choices} option={option} />
    </SelectField>
  );
}

/** The options of a list of names, each shown as it is (strategies, stages). */
export const itself = (name: string) => [name, name] as const;

/** The option of an item that has an id and a name (an agent, a dataset). */
export const named = (item: { id: string; name: string }) => [item.id, item.name] as const;
