export { ingestRoutes } from './ingest.routes';
export {
  batchView,
  getBatch,
  ingest,
  listBatches,
  sweepAbandoned,
  type BatchView,
  type Caller,
  type IngestDeps,
  type IngestRequest,
  type IngestResult,
} from './ingest.service';
export { rejectedCsv, rejectedXlsx } from './ingest.export';
export { templateCsv, templateOf, templateXlsx } from './ingest.template';
export { batchRowStats, type BatchRowStats } from './ingest.stats';
export { IngestErrors } from './ingest.errors';
