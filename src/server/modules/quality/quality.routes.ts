import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { readCtx } from '../../platform/platform';
import { ScorecardQuery, ScorecardSchema } from './quality.schemas';
import { computeScorecard, scorecardDepartment } from './quality.service';

export async function qualityRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  // `/scorecard` is the same answer under the name the console looked for first.
  for (const url of ['/api/v1/quality/scorecards', '/api/v1/quality/scorecard'])
    app.get(
      url,
      {
        config: { access: ['dept_officer', 'dept_reviewer', 'platform_admin', 'auditor', 'apikey'] },
        schema: {
          tags: ['quality'],
          summary:
            '归集共享质效评估：按部门、按月的报送质量 / Provider quality scorecard per department and month',
          description:
            '报送量、及时率（7 个工作日）、完整率、一次通过率、一致率、更正数、撤回数，均由数据实时计算（定义见 docs/ingest.md）。部门只见本部门。/ ' +
            'Volume, timeliness (7 working days), completeness, validity, consistency, corrections and withdrawals, computed from the data. Departments see their own.',
          hide: url.endsWith('/scorecard'),
          querystring: ScorecardQuery,
          response: { 200: ScorecardSchema },
        },
      },
      async (request) => {
        const ctx = readCtx(p, request);
        const departmentId = await scorecardDepartment(ctx, request.query.department);
        return computeScorecard(ctx, { departmentId, from: request.query.from, to: request.query.to });
      },
    );
}
