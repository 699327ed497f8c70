import { get } from '../../api/client';
import type { PublicDepartments } from '../../api/types';
import { useAsync } from '../../ui/useAsync';

/** The public list of providing departments (`/departments` page and the 双公示 department filter). */
export function usePublicDepartments() {
  return useAsync((signal) => get<PublicDepartments>('/api/v1/public/departments', undefined, signal), []);
}

/** Departments that provide (or still disclose) licences or penalties, as select options. */
export function departmentOptions(
  list: PublicDepartments | undefined,
  itemCodes: readonly string[],
  en: boolean,
): { value: number; label: string }[] {
  return (list?.departments ?? [])
    .filter((d) => d.items.some((i) => itemCodes.includes(i.code)))
    .map((d) => ({ value: d.id, label: en && d.nameEn ? d.nameEn : d.name }));
}
