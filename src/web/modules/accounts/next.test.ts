import { describe, expect, it } from 'vitest';
import { safeNext } from './next';

describe('after login', () => {
  it('returns to the console page the user came from', () => {
    expect(safeNext('/console/records?x=1')).toBe('/console/records?x=1');
    expect(safeNext('/console')).toBe('/console');
  });
  it('never leaves the console', () => {
    for (const bad of [
      null,
      '',
      '//evil.example/console',
      'https://evil.example',
      '/consolex',
      '/',
      '/console/login',
      '/\\evil',
    ])
      expect(safeNext(bad)).toBe('/console');
  });
});
