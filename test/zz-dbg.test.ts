import { it } from 'vitest';
import { createTestApp } from './support/app';
it('x', async () => {
  const t = await createTestApp();
  const r = await t.app.inject({ method: 'GET', url: '/x' });
  console.log(r.statusCode, r.body.slice(0, 300));
  await t.close();
});
