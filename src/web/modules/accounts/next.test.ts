import { describe, expect, it } from 'vitest';
import { groupSecret, safeNext } from './next';

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

describe('one-time code set-up', () => {
  it('shows the key in groups of four', () => {
    expect(groupSecret('GE3DQMJQGMXDGMJQGMYDCNBV')).toBe('GE3D QMJQ GMXD GMJQ GMYD CNBV');
    expect(groupSecret('ABC')).toBe('ABC');
  });
});
