import { get } from '../../api/client';
import type { CatalogItemSummary } from '../../api/types';
import { useAsync } from '../../ui/useAsync';

/**
 * The catalogue items a department may submit: those it is a provider of. Platform users (no
 * department) get every item.
 */
export function useProvidedItems(departmentId: number | null) {
  return useAsync(
    async (signal) => {
      const items = await get<CatalogItemSummary[]>('/api/v1/catalog/items', undefined, signal);
      if (departmentId === null) return items;
      const providers = await Promise.all(
        items.map((i) =>
          get<{ departmentIds: number[] }>(
            `/api/v1/catalog/items/${encodeURIComponent(i.code)}/providers`,
            undefined,
            signal,
          ).then(
            (r) => r.departmentIds.includes(departmentId),
            () => false,
          ),
        ),
      );
      return items.filter((_, n) => providers[n]);
    },
    [departmentId],
  );
}
