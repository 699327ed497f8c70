export type { FormatWanOptions, MoneyParseErrorReason, MoneyParseResult } from './money';
export {
  compareWan,
  fenToWan,
  fenToYuan,
  formatWan,
  parseWanYuan,
  parseYuan,
  sumWan,
  wanToFen,
  wanToYuan,
  yuanToFen,
  yuanToWan,
} from './money';
