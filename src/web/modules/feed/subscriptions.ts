import { codeText, type Msg } from '../../i18n/lang';

/** States of a subscription (migration 0014 `webhook_subscriptions.status`). */
const STATUS: Record<string, Msg> = {
  active: { zh: '推送中', en: 'Active' },
  dead: { zh: '死信（已暂停）', en: 'Dead-lettered' },
  disabled: { zh: '已停用', en: 'Disabled' },
};

/** Scopes of a subscription (migration 0014 `webhook_subscriptions.scope`). */
const SCOPE: Record<string, Msg> = {
  public: { zh: '公示数据', en: 'Public data' },
  shared: { zh: '共享数据', en: 'Shared data' },
};

/** Outcomes of one delivery (migration 0014 `webhook_deliveries.outcome`). */
const OUTCOME: Record<string, Msg> = {
  delivered: { zh: '已送达', en: 'Delivered' },
  failed: { zh: '失败', en: 'Failed' },
  dead_letter: { zh: '失败，转入死信', en: 'Failed, dead-lettered' },
};

export const FEED_SCOPES = ['public', 'shared'] as const;

/** A subscription's state as words; an unknown one shows as it came. */
export function subscriptionStatusText(status: string): Msg {
  return codeText(STATUS, status);
}

export function subscriptionScopeText(scope: string): Msg {
  return codeText(SCOPE, scope);
}

export function deliveryOutcomeText(outcome: string): Msg {
  return codeText(OUTCOME, outcome);
}

/**
 * A webhook address as the form checks it before sending: an http(s) URL. Whether its host
 * resolves, and to an address the platform may call (private networks only where the operator
 * allows them), is the server's to say; its answer lands on the field.
 */
export function isWebhookUrl(raw: string): boolean {
  try {
    const u = new URL(raw.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
