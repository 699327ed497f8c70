import { useEffect, useState } from 'react';

/**
 * Whether a GET endpoint exists on this server (HEAD answers anything but 404). Pages of
 * capabilities that are installed separately use it to show an empty state instead of links
 * that would fail.
 */
export function useEndpointAvailable(url: string | null): boolean | null {
  const [ok, setOk] = useState<boolean | null>(null);
  useEffect(() => {
    if (!url) return;
    const ctrl = new AbortController();
    fetch(url, { method: 'HEAD', credentials: 'same-origin', signal: ctrl.signal }).then(
      (r) => setOk(r.status !== 404),
      () => setOk(false),
    );
    return () => ctrl.abort();
  }, [url]);
  return ok;
}
