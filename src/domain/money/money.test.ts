import { describe, expect, it } from 'vitest';
import {
  compareWan,
  fenToWan,
  formatWan,
  parseWanYuan,
  parseYuan,
  sumWan,
  wanToFen,
  wanToYuan,
  yuanToFen,
  yuanToWan,
} from './index';

describe('parseWanYuan', () => {
  it.each([
    ['0.2', '0.2'],
    ['1,234.5', '1234.5'],
    ['１２', '12'],
    ['１，２３４．５', '1234.5'],
    ['  12万元 ', '12'],
    ['12 万', '12'],
    ['007.50', '7.5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['0', '0'],
    ['-0.00', '0'],
    ['+3', '3'],
    ['0.000001', '0.000001'],
    ['1.23456700', '1.234567'],
    ['123,456,789.01', '123456789.01'],
  ])('accepts %j as %j', (input, value) => {
    expect(parseWanYuan(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['-0.2', 'negative'],
    ['－5', 'negative'],
    ['abc', 'invalid'],
    ['1e5', 'invalid'],
    ['1.2.3', 'invalid'],
    ['.', 'invalid'],
    ['12 34', 'invalid'],
    ['NaN', 'invalid'],
    ['1,23', 'grouping'],
    ['1234,567', 'grouping'],
    ['0.0000001', 'too-precise'],
    ['2000元', 'wrong-unit'],
    ['1234567890123456', 'too-large'],
  ])('rejects %j with reason %s', (input, reason) => {
    const r = parseWanYuan(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message).toBeTruthy();
    }
  });
});

describe('parseYuan', () => {
  it('parses yuan with at most two decimals', () => {
    expect(parseYuan('2,000元')).toEqual({ ok: true, value: '2000' });
    expect(parseYuan('2000.50')).toEqual({ ok: true, value: '2000.5' });
    expect(parseYuan('0.001')).toMatchObject({ ok: false, reason: 'too-precise' });
    expect(parseYuan('12万元')).toMatchObject({ ok: false, reason: 'wrong-unit' });
  });
});

describe('conversions', () => {
  it('converts 2000 元 to 0.2 万元 and back exactly', () => {
    expect(yuanToWan('2000')).toBe('0.2');
    expect(yuanToWan(2000)).toBe('0.2');
    expect(yuanToWan(2000n)).toBe('0.2');
    expect(wanToYuan('0.2')).toBe('2000');
    expect(wanToYuan(0.1)).toBe('1000');
  });

  it('is exact down to 1 分', () => {
    expect(yuanToWan('0.01')).toBe('0.000001');
    expect(wanToYuan('0.000001')).toBe('0.01');
    expect(wanToYuan('1234.5678')).toBe('12345678');
    expect(yuanToWan('12345678.9')).toBe('1234.56789');
    expect(wanToFen('0.3')).toBe(300_000n);
    expect(yuanToFen('0.3')).toBe(30n);
    expect(fenToWan(1n)).toBe('0.000001');
    // The float trap: 0.1 + 0.2 万元 must be exactly 0.3.
    expect(sumWan(['0.1', '0.2'])).toBe('0.3');
    expect(yuanToWan('999999999999999.99')).toBe('99999999999.999999');
  });

  it('throws on input that cannot be converted exactly', () => {
    expect(() => yuanToWan('0.001')).toThrow(RangeError);
    expect(() => wanToYuan('-1')).toThrow(RangeError);
    expect(() => wanToYuan(Number.NaN)).toThrow(RangeError);
    expect(() => yuanToWan(1e21)).toThrow(RangeError);
  });

  it('compares amounts', () => {
    expect(compareWan('0.2', '0.20')).toBe(0);
    expect(compareWan('1,000', '999.999999')).toBe(1);
    expect(compareWan('0.1', '0.11')).toBe(-1);
  });
});

describe('formatWan', () => {
  it('formats in Chinese with grouping and unit', () => {
    expect(formatWan('1234.5')).toBe('1,234.5万元');
    expect(formatWan('0.2', 'zh-CN')).toBe('0.2万元');
    expect(formatWan('1234567', 'zh-CN')).toBe('1,234,567万元');
    expect(formatWan('5', 'zh-CN', { minFractionDigits: 2 })).toBe('5.00万元');
    expect(formatWan('1234.5', 'zh-CN', { unit: false })).toBe('1,234.5');
  });

  it('formats in English as exact yuan', () => {
    expect(formatWan('0.2', 'en')).toBe('CNY 2,000');
    expect(formatWan('1234.5', 'en')).toBe('CNY 12,345,000');
    expect(formatWan('0.000005', 'en')).toBe('CNY 0.05');
    expect(formatWan('0.0001', 'en')).toBe('CNY 1');
    expect(formatWan('0.00015', 'en')).toBe('CNY 1.50');
  });

  it('rejects garbage', () => {
    expect(() => formatWan('abc')).toThrow(RangeError);
  });
});
