export { ingestRoutes } from './ingest.routes';
export { ingest, type IngestRequest, type IngestResult } from './ingest.service';
export {
  batchView,
  getBatch,
  listBatches,
  locateSpool,
  sweepAbandoned,
  type BatchView,
  type Caller,
  type IngestDeps,
} from './ingest.batches';
export { rejectedCsv, rejectedXlsx } from './ingest.export';
export { rejectedRowsRead } from './ingest.subjects';
export { templateCsv, templateOf, templateXlsx } from './ingest.template';
export { batchRowStats, type BatchRowStats } from './ingest.stats';
export { IngestErrors } from './ingest.errors';
