// A button's job (create, change, remove): whether it is running and how it last failed, so
// the page can disable the button and show the API's message next to it.
import { useCallback, useRef, useState } from "react";

export interface Action<A extends unknown[]> {
  /** Runs the job; resolves true when it succeeded (the error is kept, not thrown). */
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: unknown;
  clear: () => void;
}

export function useAction<A extends unknown[]>(job: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const current = useRef(job);
  current.current = job;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await current.current(...args);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, busy, error, clear };
}
