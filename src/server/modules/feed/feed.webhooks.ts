/**
 * Webhook subscriptions: a subscriber (a department system with an API key, or the platform admin
 * on behalf of a credit service agency) registers a URL and receives the feed pushed, in order, at
 * least once. Targets on private, loopback or reserved addresses are refused unless configured.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { actorLabel, hasRole, type Ctx } from '../../platform/context';
import { appendEvents } from '../../platform/events';
import { requiredBodyPurpose } from '../audit';
import type { CursorCodec } from './feed.cursor';
import { FeedErrors } from './feed.errors';
import { feedRepo, type DeliveryRow, type SubscriptionRow } from './feed.repository';
import type { Scope } from './feed.service';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** Private, loopback, link-local, multicast, documentation or otherwise reserved. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1] as string, 'ipv4');
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

/** Parses and checks a webhook URL, resolving its host; refuses private targets unless allowed. */
export async function checkTarget(raw: string, allowPrivate: boolean): Promise<URL> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw FeedErrors.WEBHOOK_URL_INVALID({ field: 'url', reason: '不是合法的 URL', reasonEn: 'not a URL' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw FeedErrors.WEBHOOK_URL_INVALID({
      field: 'url',
      reason: '只支持 http 和 https',
      reasonEn: 'http and https only',
    });
  if (u.username || u.password)
    throw FeedErrors.WEBHOOK_URL_INVALID({
      field: 'url',
      reason: '地址中不得包含用户名或密码',
      reasonEn: 'no credentials in the URL',
    });
  u.hash = '';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw FeedErrors.WEBHOOK_HOST_UNRESOLVED({ field: 'url', host });
    }
  }
  if (!allowPrivate) {
    const bad = addresses.find(isPrivateAddress);
    if (bad !== undefined) throw FeedErrors.WEBHOOK_URL_PRIVATE({ field: 'url', host, address: bad });
  }
  return u;
}

/**
 * The purpose migration 0029 gave the shared-scope subscriptions registered before purposes were
 * stated; theirs until the owner states one (`changePurpose`).
 */
export const PURPOSE_NOT_STATED = '未声明（升级前创建） / not stated (created before upgrade)';

export interface SubscriptionView {
  id: number;
  url: string;
  scope: Scope;
  description: string;
  purpose: string | null;
  purposeStated: boolean;
  status: string;
  cursor: string;
  cursorSeq: number;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastSuccessAt: string | null;
  deadAt: string | null;
  createdBy: string;
  createdAt: string;
}

export function subscriptionView(s: SubscriptionRow, cursors: CursorCodec): SubscriptionView {
  return {
    id: s.id,
    url: s.url,
    scope: s.scope,
    description: s.description,
    purpose: s.purpose,
    purposeStated: s.purpose !== null && s.purpose !== PURPOSE_NOT_STATED,
    status: s.status,
    cursor: cursors.encode(s.cursor_seq),
    cursorSeq: s.cursor_seq,
    attempts: s.attempts,
    nextAttemptAt: s.next_attempt_at.toISOString(),
    lastError: s.last_error,
    lastSuccessAt: s.last_success_at ? s.last_success_at.toISOString() : null,
    deadAt: s.dead_at ? s.dead_at.toISOString() : null,
    createdBy: s.created_by,
    createdAt: s.created_at.toISOString(),
  };
}

export function deliveryView(d: DeliveryRow) {
  return {
    id: d.id,
    firstSeq: d.first_seq,
    lastSeq: d.last_seq,
    events: d.events,
    attempt: d.attempt,
    outcome: d.outcome,
    statusCode: d.status_code,
    error: d.error,
    durationMs: d.duration_ms,
    at: d.at.toISOString(),
  };
}

function ownerOf(ctx: Ctx): number | null {
  return ctx.actor.kind === 'apikey' ? ctx.actor.keyId : null;
}

/**
 * Registers a subscription. One in the shared scope is a standing read of non-public data: it
 * states its purpose (`PURPOSE_REQUIRED` otherwise, before anything else is checked or stored),
 * which every delivery's read event carries. Public-scope subscriptions state none (one given is
 * ignored).
 */
export async function createSubscription(
  ctx: Ctx,
  input: {
    url: string;
    scope?: Scope;
    description: string;
    purpose?: string;
    from?: 'now' | 'beginning';
    after?: number;
  },
  opts: { allowPrivate: boolean; cursors: CursorCodec },
): Promise<SubscriptionRow> {
  let scope: Scope = input.scope ?? 'public';
  if (ctx.actor.kind === 'apikey') {
    const mayShare = ctx.actor.scopes.includes('feed:shared');
    if (input.scope === 'shared' && !mayShare) throw FeedErrors.SCOPE_NOT_ALLOWED({ field: 'scope' });
    scope = input.scope ?? (mayShare ? 'shared' : 'public');
  }
  const purpose = scope === 'shared' ? requiredBodyPurpose(input.purpose) : null;
  const url = await checkTarget(input.url, opts.allowPrivate);
  const cursorSeq = input.after ?? (input.from === 'beginning' ? 0 : await feedRepo.head(ctx.db));
  const row = await feedRepo.insertSubscription(ctx.db, {
    url: url.toString(),
    scope,
    description: input.description.trim(),
    purpose,
    ownerKeyId: ownerOf(ctx),
    createdBy: actorLabel(ctx.actor),
    cursorSeq,
    at: new Date(),
  });
  await appendEvents(ctx, [
    {
      type: 'feed.subscription_created',
      entityType: 'webhook_subscription',
      entityId: row.id,
      payload: { id: row.id, url: row.url, scope, purpose, ownerKeyId: row.owner_key_id, cursorSeq },
    },
  ]);
  return row;
}

/** A subscription its owner (the API key) or the platform may manage. */
export async function ownSubscription(ctx: Ctx, id: number, forUpdate = false): Promise<SubscriptionRow> {
  const s = await feedRepo.subscription(ctx.db, id, forUpdate);
  const admin = hasRole(ctx.actor, 'platform_admin') || hasRole(ctx.actor, 'auditor');
  if (!s || (!admin && s.owner_key_id !== ownerOf(ctx)))
    throw FeedErrors.SUBSCRIPTION_NOT_FOUND({ subscription: id });
  return s;
}

export async function listSubscriptions(ctx: Ctx): Promise<SubscriptionRow[]> {
  const admin = hasRole(ctx.actor, 'platform_admin') || hasRole(ctx.actor, 'auditor');
  return feedRepo.subscriptions(ctx.db, admin ? null : (ownerOf(ctx) ?? -1));
}

/**
 * States (or restates) the purpose of a shared-scope subscription: from the next delivery on, its
 * read events carry the new one. A change is a `feed.subscription_purpose_changed` event naming
 * the previous purpose; restating the same purpose changes nothing and writes nothing.
 */
export async function changePurpose(ctx: Ctx, id: number, purpose: string): Promise<SubscriptionRow> {
  const s = await ownSubscription(ctx, id, true);
  if (s.scope !== 'shared') throw FeedErrors.PURPOSE_NOT_APPLICABLE({ field: 'purpose', subscription: id });
  const text = requiredBodyPurpose(purpose);
  if (text === s.purpose) return s;
  const row = await feedRepo.updateSubscription(ctx.db, id, { purpose: text, updated_at: new Date() });
  await appendEvents(ctx, [
    {
      type: 'feed.subscription_purpose_changed',
      entityType: 'webhook_subscription',
      entityId: id,
      payload: { id, purpose: text, previous: s.purpose },
    },
  ]);
  return row;
}

/**
 * Back from the dead letter (or disabled): the stuck batch is retried first, in order. Resuming an
 * active subscription that is not backing off changes nothing and writes nothing.
 */
export async function resumeSubscription(ctx: Ctx, id: number): Promise<SubscriptionRow> {
  const s = await ownSubscription(ctx, id, true);
  if (s.status === 'active' && s.attempts === 0) return s;
  const row = await feedRepo.updateSubscription(ctx.db, id, {
    status: 'active',
    attempts: 0,
    next_attempt_at: new Date(),
    dead_at: null,
    updated_at: new Date(),
  });
  await appendEvents(ctx, [
    {
      type: 'feed.subscription_resumed',
      entityType: 'webhook_subscription',
      entityId: id,
      payload: { id, cursorSeq: row.cursor_seq },
    },
  ]);
  return row;
}

/** Stops deliveries until resumed; disabling a disabled subscription changes nothing and writes nothing. */
export async function disableSubscription(ctx: Ctx, id: number): Promise<SubscriptionRow> {
  const s = await ownSubscription(ctx, id, true);
  if (s.status === 'disabled') return s;
  const row = await feedRepo.updateSubscription(ctx.db, id, { status: 'disabled', updated_at: new Date() });
  await appendEvents(ctx, [
    { type: 'feed.subscription_disabled', entityType: 'webhook_subscription', entityId: id, payload: { id } },
  ]);
  return row;
}
