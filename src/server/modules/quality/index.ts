export { qualityRoutes } from './quality.routes';
export {
  computeScorecard,
  DEADLINES,
  EXPECTED_FIELDS,
  type Scorecard,
  type ScoreRow,
} from './quality.service';
