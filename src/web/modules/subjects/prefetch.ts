import { get } from '../../api/client';
import type { PublicProfile } from '../../api/types';
import { parseAtParam } from '../../ui/asOf';

/**
 * A visitor who opens a subject's URL directly would otherwise wait for the page's chunk before
 * its data is even asked for. The entry starts the request at once; the page takes it over.
 */
const pending = new Map<string, Promise<PublicProfile>>();

export function profileKey(ref: string, instant: string | undefined): string {
  return `${ref}@${instant ?? 'now'}`;
}

export function loadProfile(
  ref: string,
  instant: string | undefined,
  signal?: AbortSignal,
): Promise<PublicProfile> {
  return get<PublicProfile>(`/api/v1/public/subjects/${encodeURIComponent(ref)}`, { at: instant }, signal);
}

export function prefetchProfile(pathname: string, search: string, now = new Date()): void {
  const m = /^\/subjects\/([^/]+)\/?$/.exec(pathname);
  if (!m?.[1]) return;
  const ref = decodeURIComponent(m[1]);
  const instant = parseAtParam(new URLSearchParams(search).get('at'), now).instant;
  const p = loadProfile(ref, instant);
  p.catch(() => undefined);
  pending.set(profileKey(ref, instant), p);
}

/** The prefetched answer for this page, once; later loads ask the server again. */
export function takePrefetched(ref: string, instant: string | undefined): Promise<PublicProfile> | undefined {
  const key = profileKey(ref, instant);
  const p = pending.get(key);
  pending.delete(key);
  return p;
}
