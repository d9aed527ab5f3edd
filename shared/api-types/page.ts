// The one list shape of the API: `?limit=&cursor=` in, `{ data, next_cursor }` out.
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
