export { auditRoutes } from './audit.routes';
export {
  advanceLog,
  checkpoint,
  consistencyProof,
  entries,
  inclusionProof,
  latestCheckpoint,
  listCheckpoints,
  publishedKey,
  type CheckpointView,
} from './audit.service';
export {
  ed25519Signer,
  keyFromVerifierKey,
  logSigner,
  nodeHash,
  openNote,
  signerOfKey,
  sm2Signer,
  suiteHasher,
  verifySm2,
  type LogKey,
  type LogSigner,
} from './audit.crypto';
export { auditSettings, startCheckpointScheduler, DEFAULT_ORIGIN } from './audit.scheduler';
export { DEFAULT_LOG_SUITE, newSigningKey, signingKeyOf } from './audit.settings';
export { verifyLog, type VerifyReport, type VerifyProblem } from './audit.verify';
export { storedPayloadSha256, type StateProblem, type StateReport } from './audit.state';
export { AuditErrors } from './audit.errors';
export {
  appendReadEvent,
  logNonPublicRead,
  optionalPurpose,
  purposeHeader,
  readEvent,
  ReadErrors,
  requiredBodyPurpose,
  statedPurpose,
  subjectIdsOfRefs,
  type NonPublicRead,
} from './audit.reads';
export { countStale, rotateFieldKey, ROTATION_TARGETS, type RotationReport } from './audit.keys';
