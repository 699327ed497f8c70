import { get } from '../../api/client';
import type { PublicProfile, WireProfile } from '../../api/types';
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
  return get<WireProfile>(`/api/v1/public/subjects/${encodeURIComponent(ref)}`, { at: instant }, signal).then(
    expandProfile,
  );
}

/**
 * The API names each item version once (`items`); the pages want every record to carry its item's
 * names, legal basis and field titles. Field order is the item's; a value without a known title
 * keeps its key as label.
 */
export function expandProfile(wire: WireProfile): PublicProfile {
  const items = new Map(wire.items.map((i) => [`${i.code}@${i.version}`, i]));
  const { items: _items, ...rest } = wire;
  return {
    ...rest,
    categories: wire.categories.map((c) => ({
      ...c,
      records: c.records.map((r) => {
        const item = items.get(`${r.item.code}@${r.item.version}`);
        const titles = new Map(item?.fields.map((f) => [f.key, f]) ?? []);
        return {
          ...r,
          item: { ...r.item, nameZh: item?.nameZh ?? r.item.code, nameEn: item?.nameEn ?? r.item.code },
          legalBasis: item?.legalBasis ?? null,
          fields: r.fields.map((f) => {
            const t = titles.get(f.key);
            return {
              key: f.key,
              label: t?.label ?? f.key,
              ...(t?.labelEn ? { labelEn: t.labelEn } : {}),
              value: f.value,
            };
          }),
        };
      }),
    })),
  };
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
