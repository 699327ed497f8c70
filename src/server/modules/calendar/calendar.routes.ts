import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { inTx, readCtx } from '../../platform/platform';
import * as svc from './calendar.service';
import { Nullable } from '../../platform/schema';

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const DayInfo = Type.Object({
  date: Type.String(),
  working: Type.Boolean(),
  kind: Type.String(),
  name: Type.Optional(Bilingual),
  basis: Type.String(),
});
const Override = Type.Object({
  date: Type.String(),
  kind: Type.Enum(['holiday', 'workday']),
  name: Nullable(Type.String()),
});

export async function calendarRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const tags = ['calendar'];

  app.get(
    '/api/v1/calendar',
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '工作日历（法定节假日、调休、管理员调整）/ Working-day calendar',
        querystring: Type.Object(
          {
            from: Type.String({ format: 'date' }),
            days: Type.Integer({ minimum: 1, maximum: 366, default: 31 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            days: Type.Array(DayInfo),
            coverage: Type.Object({
              years: Type.Array(Type.Integer()),
              provisionalYears: Type.Array(Type.Integer()),
            }),
          }),
        },
      },
    },
    async (request) => {
      const days = await svc.monthDays(readCtx(p, request), request.query.from, request.query.days);
      const c = svc.coverage();
      return { days, coverage: { years: [...c.years], provisionalYears: [...c.provisionalYears] } };
    },
  );

  app.get(
    '/api/v1/calendar/overrides',
    {
      config: { access: ['user'] },
      schema: { tags, summary: '日历调整 / Calendar overrides', response: { 200: Type.Array(Override) } },
    },
    async (request) => svc.listOverrides(readCtx(p, request)),
  );

  app.put(
    '/api/v1/calendar/overrides/:date',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '设置某日为节假日或工作日 / Make a day a holiday or a working day',
        params: Type.Object({ date: Type.String({ format: 'date' }) }),
        body: Type.Object(
          {
            kind: Type.Enum(['holiday', 'workday']),
            name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: Override },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => svc.setOverride(ctx, { date: request.params.date, ...request.body })),
  );

  app.delete(
    '/api/v1/calendar/overrides/:date',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '取消调整 / Remove an override',
        params: Type.Object({ date: Type.String({ format: 'date' }) }),
      },
    },
    async (request) => {
      await inTx(p, request, (ctx) => svc.removeOverride(ctx, request.params.date));
      return { ok: true };
    },
  );
}
