import { lazy, type ComponentType } from 'react';

/** React.lazy for a module's named export (the project uses named exports only). */
export function lazyPage<M extends Record<string, unknown>>(
  load: () => Promise<M>,
  name: keyof M & string,
): ComponentType {
  return lazy(async () => {
    const mod = await load();
    return { default: mod[name] as ComponentType };
  });
}
