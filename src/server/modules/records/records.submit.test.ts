import { describe, expect, it } from 'vitest';
import { comparableName } from './records.submit';

describe('comparableName', () => {
  it('compares names as the registry stores them: NFKC, spaces folded', () => {
    const registered = comparableName('重庆测试商贸有限公司(渝中分公司)');
    for (const typed of [
      '重庆测试商贸有限公司（渝中分公司）',
      ' 重庆测试商贸有限公司 （渝中分公司） ',
      '重庆测试商贸有限公司\u3000（渝中分公司）',
      '重庆测试\u200b商贸有限公司(渝中分公司)',
    ])
      expect(comparableName(typed), typed).toBe(registered);
    expect(comparableName('ＡＢＣ  Trading   Co., Ltd.')).toBe('ABC Trading Co., Ltd.');
    expect(comparableName('重庆测试商贸有限公司（江北分公司）')).not.toBe(registered);
    expect(comparableName('ABC Trading')).not.toBe(comparableName('ABCTrading'));
  });
});
