import { defineErrors } from '../../platform/errors';

export const AuditErrors = defineErrors({
  NO_CHECKPOINT: {
    kind: 'not_found',
    zh: '日志尚无签名检查点',
    en: 'The log has no signed checkpoint yet',
  },
  CHECKPOINT_NOT_FOUND: {
    kind: 'not_found',
    zh: '没有树大小为 {treeSize} 的检查点',
    en: 'No checkpoint for tree size {treeSize}',
  },
  SEQ_OUT_OF_RANGE: {
    kind: 'not_found',
    zh: '事件 {seq} 不在大小为 {treeSize} 的树中',
    en: 'Event {seq} is not in the tree of size {treeSize}',
  },
  TREE_SIZE_OUT_OF_RANGE: {
    kind: 'not_found',
    zh: '树大小 {treeSize} 超出日志当前大小 {logSize}',
    en: 'Tree size {treeSize} exceeds the current log size {logSize}',
  },
  CONSISTENCY_RANGE: {
    kind: 'bad_request',
    zh: '一致性证明要求 1 ≤ first ≤ second',
    en: 'A consistency proof needs 1 ≤ first ≤ second',
  },
  LOG_GAP: {
    kind: 'unavailable',
    zh: '事件 {seq} 缺失，日志无法继续追加；请运行 xinyong verify-log',
    en: 'Event {seq} is missing, so the log cannot advance; run xinyong verify-log',
  },
  LOG_INCONSISTENT: {
    kind: 'unavailable',
    zh: '存储的默克尔树与大小为 {treeSize} 的已签名检查点不一致，拒绝签名；请运行 xinyong verify-log',
    en: 'The stored tree does not match the signed checkpoint of size {treeSize}; refusing to sign. Run xinyong verify-log',
  },
  SUITE_MISMATCH: {
    kind: 'unavailable',
    zh: '日志的默克尔树由哈希套件 {stored} 构建，与配置的 XINYONG_LOG_SUITE={configured} 不符；套件不能混用，请设置 XINYONG_LOG_SUITE={stored} 及该套件的签名密钥',
    en: 'The log was built with hash suite {stored}, not the configured XINYONG_LOG_SUITE={configured}; suites are never mixed: set XINYONG_LOG_SUITE={stored} and a signing key of that suite',
  },
});
