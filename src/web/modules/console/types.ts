import type { ComponentType } from 'react';
import type { Role } from '../../api/types';
import type { Msg } from '../../i18n/lang';

/**
 * A page of the console, declared by the module that owns it (modules/<m>/console.ts) and listed
 * in registry.ts. `Component` is normally React.lazy so each page is its own chunk.
 */
export interface ConsolePage {
  /** Path under /console, e.g. `records`. */
  path: string;
  label: Msg;
  /** Who sees and may open it; the server checks again on every call. */
  roles: readonly Role[];
  group: 'data' | 'admin' | 'audit';
  Component: ComponentType;
  /** Also shown in the menu (false for detail pages reached by links). */
  menu?: boolean;
}
