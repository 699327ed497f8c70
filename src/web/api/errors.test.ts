import { describe, expect, it } from 'vitest';
import { ApiError, isMissingEndpoint, mapErrorToForm, normalizeFieldPath, toApiError } from './errors';
import { buildQuery, requestHeaders, setApiLang, setCsrfToken } from './client';

const body = (error: Record<string, unknown>) => ({ error, requestId: 'req-1' });

describe('toApiError', () => {
  it('reads the server error body: code, both languages, details and request id', () => {
    const e = toApiError(
      400,
      body({
        code: 'INVALID_USCC',
        message: '统一社会信用代码校验位错误',
        messages: { 'zh-CN': '统一社会信用代码校验位错误', en: 'Wrong USCC check character' },
        details: { field: 'uscc' },
      }),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('INVALID_USCC');
    expect(e.status).toBe(400);
    expect(e.requestId).toBe('req-1');
    expect(e.field).toBe('uscc');
    expect(e.text('en')).toBe('Wrong USCC check character');
    expect(e.text('zh-CN')).toBe('统一社会信用代码校验位错误');
  });

  it('turns a body that is not the API shape (proxy page, empty) into a bilingual HTTP error', () => {
    const e = toApiError(502, '<html>Bad gateway</html>', 'x-1');
    expect(e.code).toBe('HTTP_502');
    expect(e.requestId).toBe('x-1');
    expect(e.text('en')).toMatch(/unavailable/);
    expect(e.text('zh-CN')).toMatch(/不可用/);
    expect(e.problems).toEqual([]);
  });

  it('collects per-field problems of a catalogue item with their own messages', () => {
    const e = toApiError(
      400,
      body({
        code: 'CATALOG_ITEM_INVALID',
        message: 'x',
        messages: { 'zh-CN': 'x', en: 'x' },
        details: {
          field: 'legalBasis',
          problems: [
            {
              code: 'LEGAL_BASIS_REQUIRED',
              field: 'legalBasis',
              message: { zh: '须列明依据', en: 'Needs a legal basis' },
            },
            {
              code: 'PROHIBITED_FIELD',
              field: 'payloadSchema.properties.ZJXY',
              message: { zh: '禁止归集', en: 'Prohibited' },
            },
          ],
        },
      }),
    );
    expect(e.problems.map((p) => p.path)).toEqual([['legalBasis'], ['payloadSchema', 'properties', 'ZJXY']]);
    expect(e.problems[1]?.code).toBe('PROHIBITED_FIELD');
    expect(e.problems[1]?.messages.en).toBe('Prohibited');
  });

  it('puts record row errors under payload, once', () => {
    const e = toApiError(
      400,
      body({
        code: 'PAYLOAD_INVALID',
        message: 'x',
        messages: { 'zh-CN': 'x', en: 'x' },
        details: {
          field: 'CF_WSH',
          errors: [
            {
              field: 'CF_WSH',
              code: 'REQUIRED',
              message: { zh: '缺少文书号', en: 'Missing document number' },
            },
            { field: 'payload.CF_JDRQ', code: 'DATE', message: { zh: '日期', en: 'Date' } },
          ],
        },
      }),
    );
    expect(e.problems.map((p) => p.field)).toEqual(['payload.CF_WSH', 'payload.CF_JDRQ']);
  });

  it('knows a missing endpoint from a missing record', () => {
    const route = toApiError(
      404,
      body({ code: 'ROUTE_NOT_FOUND', message: 'x', messages: { 'zh-CN': 'x', en: 'x' } }),
    );
    const subject = toApiError(
      404,
      body({ code: 'SUBJECT_NOT_FOUND', message: 'x', messages: { 'zh-CN': 'x', en: 'x' } }),
    );
    expect(isMissingEndpoint(route)).toBe(true);
    expect(isMissingEndpoint(subject)).toBe(false);
  });
});

describe('normalizeFieldPath', () => {
  it('drops the request part and splits indexes', () => {
    expect(normalizeFieldPath('body.legalBasis[0].rank')).toEqual(['legalBasis', 0, 'rank']);
    expect(normalizeFieldPath('querystring.q')).toEqual(['q']);
    expect(normalizeFieldPath('subjectTypes[2]')).toEqual(['subjectTypes', 2]);
    expect(normalizeFieldPath('payloadSchema.properties.X.x-aliases')).toEqual([
      'payloadSchema',
      'properties',
      'X',
      'x-aliases',
    ]);
    expect(normalizeFieldPath('body')).toEqual([]);
  });
});

describe('mapErrorToForm', () => {
  const err = toApiError(
    400,
    body({
      code: 'VALIDATION_FAILED',
      message: '缺少必填字段 body.name',
      messages: { 'zh-CN': '缺少必填字段 body.name', en: 'Missing required field body.name' },
      details: { field: 'body.name' },
    }),
  );

  it('shows a validation error next to its field in the chosen language', () => {
    expect(mapErrorToForm(err, 'en', [['name'], ['uscc']])).toEqual({
      fields: [{ name: ['name'], errors: ['Missing required field body.name'] }],
      general: [],
    });
    expect(mapErrorToForm(err, 'zh-CN', [['name']]).fields[0]?.errors).toEqual(['缺少必填字段 body.name']);
  });

  it('keeps an error about a field the form does not have for the alert above it', () => {
    expect(mapErrorToForm(err, 'en', [['uscc']])).toEqual({
      fields: [],
      general: ['Missing required field body.name'],
    });
  });

  it('puts errors without a field (wrong password) above the form', () => {
    const e = toApiError(
      401,
      body({ code: 'LOGIN_FAILED', message: 'x', messages: { 'zh-CN': '用户名或密码错误', en: 'Wrong' } }),
    );
    expect(mapErrorToForm(e, 'zh-CN', [['username']])).toEqual({ fields: [], general: ['用户名或密码错误'] });
  });

  it('uses the longest known prefix and a custom resolver', () => {
    const e = toApiError(
      400,
      body({
        code: 'X',
        message: 'x',
        messages: { 'zh-CN': 'x', en: 'x' },
        details: {
          problems: [{ field: 'legalBasis[1].rank', code: 'R', message: { zh: '等级', en: 'Rank' } }],
        },
      }),
    );
    expect(mapErrorToForm(e, 'en', [['legalBasis'], ['legalBasis', 1, 'rank']]).fields[0]?.name).toEqual([
      'legalBasis',
      1,
      'rank',
    ]);
    expect(mapErrorToForm(e, 'en', (_p, code) => (code === 'R' ? ['other'] : null)).fields[0]?.name).toEqual([
      'other',
    ]);
  });
});

describe('client', () => {
  it('sends the CSRF token on writes only, and the language always', () => {
    setCsrfToken('tok');
    setApiLang('en');
    expect(requestHeaders('POST', true)).toMatchObject({ 'X-CSRF-Token': 'tok', 'Accept-Language': 'en' });
    expect(requestHeaders('DELETE', false)['X-CSRF-Token']).toBe('tok');
    expect(requestHeaders('GET', false)['X-CSRF-Token']).toBeUndefined();
    setCsrfToken(null);
    expect(requestHeaders('POST', true)['X-CSRF-Token']).toBeUndefined();
    setApiLang('zh-CN');
  });

  it('builds queries without empty values and repeats array keys', () => {
    expect(
      buildQuery({
        q: '重庆',
        type: ['ENTERPRISE', 'SOCIAL_ORG'],
        region: null,
        at: undefined,
        offset: 0,
        x: '',
      }),
    ).toBe('?q=%E9%87%8D%E5%BA%86&type=ENTERPRISE&type=SOCIAL_ORG&offset=0');
    expect(buildQuery({})).toBe('');
  });
});
