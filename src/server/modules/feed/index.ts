export { feedRoutes } from './feed.routes';
export { cursorCodec, type CursorCodec } from './feed.cursor';
export { feedSigner, type FeedSigner } from './feed.sign';
export { readPage, scopeOf, SOURCE_TYPES, type FeedDeps, type Scope } from './feed.service';
export { projectionRound, type RoundResult } from './feed.project';
export { feedSettings, backoffDelay, type FeedSettings } from './feed.settings';
export { isPrivateAddress, checkTarget } from './feed.webhooks';
export { FeedErrors } from './feed.errors';
// The subscriber's side: the wire format and page verification (the SDK function).
export {
  FEED_TYPES,
  verifyFeedPage,
  verifySigned,
  type FeedEvent,
  type FeedPage,
  type FeedRecord,
  type FeedType,
  type KeySource,
  type TrustedKey,
  type VerifyProblem,
  type VerifyResult,
} from './feed.sdk';
