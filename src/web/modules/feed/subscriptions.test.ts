import { describe, expect, it } from 'vitest';
import { format } from '../../i18n/lang';
import {
  deliveryOutcomeText,
  isWebhookUrl,
  subscriptionScopeText,
  subscriptionStatusText,
} from './subscriptions';

const CJK = /[\u3400-\u9fff]/;

describe('change-feed codes as words', () => {
  it('names every state, scope and outcome the database allows, in both languages', () => {
    // The CHECK constraints of migration 0014.
    const all = [
      ...['active', 'dead', 'disabled'].map(subscriptionStatusText),
      ...['public', 'shared'].map(subscriptionScopeText),
      ...['delivered', 'failed', 'dead_letter'].map(deliveryOutcomeText),
    ];
    for (const msg of all) {
      expect(format(msg, 'zh-CN')).toMatch(CJK);
      expect(format(msg, 'en')).not.toMatch(CJK);
      expect(format(msg, 'en')).not.toMatch(/^[a-z_]+$/);
    }
    expect(format(subscriptionStatusText('dead'), 'en')).toBe('Dead-lettered');
    expect(format(subscriptionScopeText('shared'), 'zh-CN')).toBe('共享数据');
  });

  it('shows a code it does not know as it came', () => {
    expect(format(subscriptionStatusText('paused'), 'en')).toBe('paused');
    expect(format(deliveryOutcomeText('skipped'), 'zh-CN')).toBe('skipped');
  });
});

describe('webhook address checked before sending', () => {
  it('takes any http(s) URL, private and loopback hosts included (the server decides on those)', () => {
    for (const url of [
      'https://agency.example.cn/xinyong/hook',
      'http://127.0.0.1:9/hook',
      'http://10.12.0.5:8080/feed',
      'http://localhost/hook',
      'https://[::1]/hook',
      ' https://credit.cq.gov.cn/hook ',
    ])
      expect(isWebhookUrl(url), url).toBe(true);
  });

  it('refuses what is not an http(s) URL', () => {
    for (const url of ['not a url', 'ftp://agency.example.cn/x', 'agency.example.cn/hook', 'https://', ''])
      expect(isWebhookUrl(url), url).toBe(false);
  });
});
