import type { FastifyInstance } from 'fastify';
import { accountsRoutes } from './accounts';
import { auditRoutes } from './audit';
import { catalogRoutes } from './catalog';
import { subjectsRoutes } from './subjects';
import { eventlogRoutes } from './eventlog';
import { calendarRoutes } from './calendar';
import { recordsRoutes } from './records';
import { ingestRoutes } from './ingest';
import { qualityRoutes } from './quality';
import { listsRoutes } from './lists';
import { measuresRoutes } from './measures';
import { remediesRoutes } from './remedies';
import { feedRoutes } from './feed';
import { meRoutes } from './me';

/** Every module's routes, registered in one place. */
export async function registerModules(app: FastifyInstance): Promise<void> {
  await app.register(accountsRoutes);
  await app.register(catalogRoutes);
  await app.register(subjectsRoutes);
  await app.register(recordsRoutes);
  await app.register(ingestRoutes);
  await app.register(qualityRoutes);
  await app.register(eventlogRoutes);
  await app.register(calendarRoutes);
  await app.register(auditRoutes);
  await app.register(listsRoutes);
  await app.register(measuresRoutes);
  await app.register(remediesRoutes);
  await app.register(feedRoutes);
  await app.register(meRoutes);
}
