export { measuresRoutes } from './measures.routes';
export {
  createMeasure,
  createScenario,
  getMeasure,
  listMeasures,
  listScenarios,
  versionMeasure,
  type Measure,
  type Scenario,
} from './measures.inventory';
export { BATCH_MAX, runBatch, runCheck, type BatchResult, type CheckResult } from './measures.checks';
export { feedbackStats, submitFeedback } from './measures.feedback';
export { MEASURE_SEED_ACTOR, SEED_MEASURES, seedMeasures, type MeasureSeedSummary } from './measures.seed';
export { MeasureErrors } from './measures.errors';
