import { get } from '../../api/client';
import type { Department } from '../../api/types';
import { useAsync } from '../../ui/useAsync';

export function useDepartments() {
  const r = useAsync((signal) => get<Department[]>('/api/v1/departments', undefined, signal), []);
  const byId = new Map((r.data ?? []).map((d) => [d.id, d]));
  return { ...r, list: r.data ?? [], byId };
}
