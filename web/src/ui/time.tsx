/** A timestamp from the API, shown in the reader's locale with the exact value for machines. */
export function Time({ iso }: { iso: string }) {
  const date = new Date(iso);
  return <time dateTime={iso}>{Number.isNaN(date.getTime()) ? iso : date.toLocaleString()}</time>;
}

/** A table cell holding one API timestamp. */
export function TimeCell({ iso }: { iso: string }) {
  return (
    <td>
      <Time iso={iso} />
    </td>
  );
}
