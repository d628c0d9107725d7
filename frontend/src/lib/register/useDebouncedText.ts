// A text field that commits its value after a pause in typing (or at once on flush), and follows the committed
// value when it changes elsewhere (a reset, the back button).
import { useCallback, useEffect, useRef, useState } from 'react';

export function useDebouncedText(committed: string, commit: (v: string) => void, ms = 250) {
  const [text, setText] = useState(committed);
  const textRef = useRef(text);
  textRef.current = text;
  const timer = useRef<number | undefined>(undefined);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  const committedRef = useRef(committed);
  committedRef.current = committed;

  useEffect(() => {
    setText(committed);
  }, [committed]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const change = useCallback(
    (v: string) => {
      setText(v);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => commitRef.current(v), ms);
    },
    [ms],
  );
  /** commits now (Enter) */
  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    if (textRef.current !== committedRef.current) commitRef.current(textRef.current);
  }, []);
  /** drops a pending commit and empties the field (reset) */
  const clear = useCallback(() => {
    window.clearTimeout(timer.current);
    setText('');
  }, []);
  return { text, change, flush, clear };
}
