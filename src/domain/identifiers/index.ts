export {
  ID_KINDS,
  isIdKind,
  KIND_NAMES,
  WARNING_MESSAGES,
  type IdFailure,
  type IdKind,
  type LocalizedText,
  type ReasonCode,
  type WarningCode,
} from './messages';
export { normalizeIdInput } from './normalize';
export {
  findUsccAuthority,
  findUsccCategory,
  makeUscc,
  USCC_ALPHABET,
  USCC_AUTHORITIES,
  usccCheckChar,
  validateUscc,
  type UsccAuthorityInfo,
  type UsccCategoryInfo,
  type UsccOptions,
  type UsccReason,
  type UsccResult,
  type UsccValid,
} from './uscc';
export {
  formatOrgCode,
  makeOrgCode,
  orgCodeCheckChar,
  validateOrgCode,
  type OrgCodeOptions,
  type OrgCodeReason,
  type OrgCodeResult,
  type OrgCodeValid,
} from './org-code';
export {
  citizenIdCheckChar,
  isRealDate,
  makeCitizenId,
  maskCitizenId,
  MIN_BIRTH_YEAR,
  validateCitizenId,
  type CitizenIdOptions,
  type CitizenIdReason,
  type CitizenIdResult,
  type CitizenIdValid,
} from './citizen-id';
export {
  gs15CheckDigit,
  makeGs15,
  validateGs15,
  type Gs15Options,
  type Gs15Reason,
  type Gs15Result,
  type Gs15Valid,
} from './gs15';
export {
  checkId,
  type CheckIdDetails,
  type CheckIdOptions,
  type CheckIdResult,
  type CitizenIdDetails,
  type Gs15Details,
  type OrgCodeDetails,
  type UsccDetails,
} from './classify';
