// The <option>s of a select, from [value, label] pairs, in order.
export function Options({ options }: { options: readonly (readonly [string, string])[] }) {
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
