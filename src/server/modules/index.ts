import type { FastifyInstance } from 'fastify';
import { accountsRoutes } from './accounts';
import { subjectsRoutes } from './subjects';

/** Every module's routes, registered in one place. */
export async function registerModules(app: FastifyInstance): Promise<void> {
  await app.register(accountsRoutes);
  await app.register(subjectsRoutes);
}
