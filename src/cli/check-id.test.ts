import { describe, expect, it } from 'vitest';
import { checkIdCommand, type CheckIdIo } from './check-id';

interface Captured {
  readonly out: string[];
  readonly err: string[];
  readonly io: CheckIdIo;
}

function capture(stdin?: string): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      ...(stdin !== undefined ? { readStdin: () => Promise.resolve(stdin) } : {}),
    },
  };
}

function parsed(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('xinyong check-id', () => {
  it('prints one JSON line per code and exits 0 when all are valid', async () => {
    const c = capture();
    const code = await checkIdCommand(['914403001922038216', '19220382-1', '11010519491231002X'], c.io);
    expect(code).toBe(0);
    expect(c.err).toEqual([]);
    expect(parsed(c.out)).toMatchObject([
      { input: '914403001922038216', kind: 'uscc', valid: true },
      { input: '19220382-1', kind: 'org_code', valid: true },
      { input: '11010519491231002X', kind: 'citizen_id', valid: true },
    ]);
  });

  it('exits 1 and explains each invalid code', async () => {
    const c = capture();
    expect(await checkIdCommand(['914403001922038217', '500103000000012'], c.io)).toBe(1);
    const [bad, good] = parsed(c.out);
    expect(bad).toMatchObject({
      input: '914403001922038217',
      kind: 'uscc',
      valid: false,
      reason: 'CHECK_CHARACTER_WRONG',
      position: 18,
      expected: '6',
      message: { zh: expect.stringContaining('应为 6'), en: expect.stringContaining('expected 6') },
    });
    expect(good).toMatchObject({ kind: 'gs15', valid: true });
  });

  it('omits position and expected where they do not apply', async () => {
    const c = capture();
    expect(await checkIdCommand(['123'], c.io)).toBe(1);
    const [line] = parsed(c.out);
    expect(line).toMatchObject({ kind: 'unknown', reason: 'WRONG_LENGTH' });
    expect(line).not.toHaveProperty('position');
    expect(line).not.toHaveProperty('expected');
  });

  it('honours --kind in both spellings', async () => {
    const c = capture();
    expect(await checkIdCommand(['--kind', 'citizen_id', '914403001922038216'], c.io)).toBe(1);
    expect(await checkIdCommand(['--kind=uscc', '914403001922038216'], c.io)).toBe(0);
    expect(parsed(c.out)).toMatchObject([
      { kind: 'citizen_id', valid: false, reason: 'IMPOSSIBLE_BIRTH_DATE' },
      { kind: 'uscc', valid: true },
    ]);
  });

  it('uses --today for the future-birth check', async () => {
    const c = capture();
    expect(await checkIdCommand(['--today', '2025-05-31', '500103202506010029'], c.io)).toBe(1);
    expect(await checkIdCommand(['--today=2025-06-01', '500103202506010029'], c.io)).toBe(0);
  });

  it('exits 2 with a bilingual usage message when no codes are given', async () => {
    const c = capture();
    expect(await checkIdCommand([], c.io)).toBe(2);
    expect(c.out).toEqual([]);
    expect(c.err.join('\n')).toContain('未提供代码 / no codes given');
    expect(c.err.join('\n')).toContain('用法 / usage: xinyong check-id');
  });

  it('exits 2 on an unknown kind, an unknown option or a bad --today', async () => {
    for (const argv of [
      ['--kind', 'passport', 'X'],
      ['--kind'],
      ['--verbose', '914403001922038216'],
      ['--today', '2025-02-30', '914403001922038216'],
    ]) {
      const c = capture();
      expect(await checkIdCommand(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.out).toEqual([]);
      expect(c.err[0]).toMatch(/\/ /);
    }
  });

  it('prints usage on --help and exits 0', async () => {
    const c = capture();
    expect(await checkIdCommand(['--help'], c.io)).toBe(0);
    expect(c.out[0]).toContain('usage');
  });

  it('reads codes from stdin when given -', async () => {
    const c = capture('914403001922038216\r\n\n  19220382-1 \n');
    expect(await checkIdCommand(['-', '500103000000012'], c.io)).toBe(0);
    expect(parsed(c.out).map((r) => r.kind)).toEqual(['gs15', 'uscc', 'org_code']);
  });

  it('treats arguments after -- as codes', async () => {
    const c = capture();
    expect(await checkIdCommand(['--', '-x'], c.io)).toBe(1);
    expect(parsed(c.out)).toMatchObject([{ input: '-x', valid: false }]);
  });
});
