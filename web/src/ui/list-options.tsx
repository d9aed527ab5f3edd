// The <option>s of a select, from [value, label] pairs, in order, and what a select of them is given.

/** [value, label] pairs. */
type OptionPairs = readonly (readonly [string, string])[];

/** A select over [value, label] pairs, reporting the chosen value. */
export interface OptionsSelectProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: OptionPairs;
}

export function Options({ options }: { options: OptionPairs }) {
  return (
    <>
      {options.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </>
  );
}
