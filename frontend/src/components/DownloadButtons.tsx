// A row of download buttons for files fetched through the authenticated client: one download at a time (the
// others stay focusable, aria-disabled), progress announced to screen readers, a failure shown above the row.
// The register's exports and the sottosezione's documents both use it.
import { useState } from 'react';
import { ErrorAlert } from './Feedback';
import { announce } from '../lib/announce';

export type DownloadFile = { file: string; label: string };

export function DownloadButtons({ files, fetchFile, preparing, done }: {
  files: readonly DownloadFile[];
  /** Fetches the file and hands it to the browser (api.download). */
  fetchFile: (file: string) => Promise<void>;
  /** The Italian texts "preparing <label>…" and "<label> downloaded". */
  preparing: (label: string) => string;
  done: (label: string) => string;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const download = async ({ file, label }: DownloadFile) => {
    if (busy) return;
    setBusy(file);
    setError(null);
    announce(preparing(label));
    try {
      await fetchFile(file);
      announce(done(label));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <ErrorAlert error={error} />
      <ul className="list-unstyled d-flex flex-wrap gap-2 mb-0">
        {files.map((f) => (
          <li key={f.file}>
            <button
              type="button"
              className="btn btn-outline-primary btn-sm"
              aria-disabled={busy !== null || undefined}
              aria-busy={busy === f.file}
              onClick={() => download(f)}
              data-export={f.file}
            >
              {busy === f.file ? preparing(f.label) : f.label}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
