import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOTP_SECRET, loginBody } from '../../../../test/support/totp';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { SYSTEM } from '../../platform/context';
import { withTransaction, type Queryable } from '../../platform/db';
import { createUser } from '../accounts';
import { setOverride, workingCalendar } from './calendar.service';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await withTransaction(t.db.pool, (tx) =>
    createUser(
      { db: tx, actor: SYSTEM, requestId: 's', now: t.clock.now },
      {
        totpSecret: TEST_TOTP_SECRET,
        username: 'admin',
        displayName: 'A',
        password: 'admin-pass-12',
        roles: ['platform_admin'],
      },
    ),
  );
});
afterAll(async () => t?.close());

describe('working-day calendar', () => {
  it('shows statutory holidays and make-up days, and lets an admin override a day', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/calendar?from=2025-01-26&days=14' });
    const days = res.json().days as { date: string; working: boolean; kind: string }[];
    expect(days.find((d) => d.date === '2025-01-26')).toMatchObject({
      working: true,
      kind: 'makeup-workday',
    });
    expect(days.find((d) => d.date === '2025-01-29')).toMatchObject({ working: false, kind: 'holiday' });

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: loginBody('admin', 'admin-pass-12', t.clock.now),
    });
    const headers = {
      cookie: `xy_session=${login.cookies[0]?.value}`,
      'x-csrf-token': login.json().csrfToken,
    };
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2026-12-01',
      headers,
      payload: { kind: 'holiday', name: '地方假日' },
    });
    expect(put.statusCode).toBe(200);
    const cal = await workingCalendar({ db: t.db.pool, actor: SYSTEM, requestId: 'x', now: t.clock.now });
    expect(cal.isWorkingDay('2026-12-01')).toBe(false);
    expect(cal.addWorkingDays('2026-11-30', 1)).toBe('2026-12-02');
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2026-02-30',
      headers,
      payload: { kind: 'holiday' },
    });
    expect(bad.statusCode).toBe(400);
    const anon = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2026-12-02',
      payload: { kind: 'holiday' },
    });
    expect(anon.statusCode).toBe(401);
  });
});

describe('the calendar cache and the transaction of a change', () => {
  const ctxOf = (db: Queryable) => ({ db, actor: SYSTEM, requestId: 'x', now: t.clock.now });

  it('holds a change once it commits, even if a read came in between', async () => {
    await withTransaction(t.db.pool, async (tx) => {
      await setOverride(ctxOf(tx), { date: '2026-12-03', kind: 'holiday', name: '地方假日' });
      // Another request reads the calendar before the change commits.
      expect((await workingCalendar(ctxOf(t.db.pool))).isWorkingDay('2026-12-03')).toBe(true);
    });
    // Was a working day for up to 30 s: the cache was dropped before COMMIT.
    expect((await workingCalendar(ctxOf(t.db.pool))).isWorkingDay('2026-12-03')).toBe(false);
  });

  it('does not keep a change that rolled back', async () => {
    await expect(
      withTransaction(t.db.pool, async (tx) => {
        await setOverride(ctxOf(tx), { date: '2026-12-04', kind: 'holiday' });
        // The transaction's own read (deadlines computed after the change) sees the change...
        expect((await workingCalendar(ctxOf(tx))).isWorkingDay('2026-12-04')).toBe(false);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // ...and must not leave it in the cache every other request reads.
    expect((await workingCalendar(ctxOf(t.db.pool))).isWorkingDay('2026-12-04')).toBe(true);
  });
});
