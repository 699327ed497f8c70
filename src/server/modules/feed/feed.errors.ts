import { defineErrors } from '../../platform/errors';

export const FeedErrors = defineErrors({
  CURSOR_INVALID: {
    kind: 'bad_request',
    zh: '游标无效：不是本平台签发的游标，或已被改动',
    en: 'Invalid cursor: not issued by this platform, or altered',
  },
  CURSOR_FROM_FUTURE: {
    kind: 'bad_request',
    zh: '游标指向尚不存在的事件（{seq} > {head}），可能来自另一套部署或数据库已回退',
    en: 'The cursor points past the last event ({seq} > {head}); it may come from another deployment or a restored database',
  },
  SUBSCRIPTION_NOT_FOUND: {
    kind: 'not_found',
    zh: '订阅 {subscription} 不存在',
    en: 'Subscription {subscription} not found',
  },
  WEBHOOK_URL_INVALID: {
    kind: 'bad_request',
    zh: '推送地址无效：{reason}',
    en: 'Invalid webhook URL: {reasonEn}',
  },
  WEBHOOK_URL_PRIVATE: {
    kind: 'unprocessable',
    zh: '推送地址 {host} 解析到内网、本机或保留地址（{address}），不允许推送',
    en: 'Webhook host {host} resolves to a private, loopback or reserved address ({address}); not allowed',
  },
  WEBHOOK_HOST_UNRESOLVED: {
    kind: 'unprocessable',
    zh: '无法解析推送地址的主机名 {host}',
    en: 'The webhook host {host} does not resolve',
  },
  SCOPE_NOT_ALLOWED: {
    kind: 'forbidden',
    zh: '该 API 密钥没有 feed:shared 权限，只能订阅公开数据',
    en: 'This API key lacks the feed:shared scope; it can subscribe to public data only',
  },
  PURPOSE_NOT_APPLICABLE: {
    kind: 'bad_request',
    zh: '订阅 {subscription} 只推送公开数据，无需说明用途',
    en: 'Subscription {subscription} delivers public data only; it states no purpose',
  },
  CONSISTENCY_TOO_LARGE: {
    kind: 'bad_request',
    zh: '一次最多核对 {maxSubjects} 个主体、{maxRecords} 条记录',
    en: 'At most {maxSubjects} subjects and {maxRecords} records per check',
  },
});
