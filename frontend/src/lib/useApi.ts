// Loads data for a screen: loading, error and reload, with the request aborted when the inputs change.
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    loadRef
      .current(ctl.signal)
      .then((d) => {
        if (ctl.signal.aborted) return;
        // The screen that the data fills is rendered as a transition: React renders it in slices of a few
        // milliseconds and yields between them, so a register page of 50 rows or a home page of lists no longer
        // holds the main thread for hundreds of milliseconds on a slow phone (Lighthouse's blocking time), and a
        // click or a key pressed meanwhile is answered first. Until it is done the screen shows what it showed.
        startTransition(() => {
          setData(d);
          setLoading(false);
        });
      })
      .catch((e) => {
        if (ctl.signal.aborted || (e as Error).name === 'AbortError') return;
        setError(e);
        setLoading(false);
      });
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload, setData };
}
