import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { inTx, readCtx } from '../../platform/platform';
import {
  CategorySchema,
  FieldTitlesSchema,
  CreateItemBody,
  CreateVersionBody,
  ItemParams,
  ItemSummarySchema,
  ItemVersionSchema,
  ProvidersBody,
  ProvidersSchema,
  VersionQuery,
} from './catalog.schemas';
import * as svc from './catalog.service';

const PREFIX = '/api/v1/catalog';

/**
 * The catalogue is public information: it tells everyone what may be held on them and on what
 * basis. Only the credit office changes it.
 */
export async function catalogRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const tags = ['catalog'];

  app.get(
    `${PREFIX}/categories`,
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '目录类别 / Catalogue categories',
        response: { 200: Type.Array(CategorySchema) },
      },
    },
    async (request) => svc.listCategories(readCtx(p, request)),
  );

  app.get(
    `${PREFIX}/items`,
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '目录事项 / Catalogue items',
        response: { 200: Type.Array(ItemSummarySchema) },
      },
    },
    async (request) => svc.listItems(readCtx(p, request)),
  );

  app.get(
    `${PREFIX}/field-titles`,
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '目录事项字段名称（中英文）/ Field titles of the catalogue items (Chinese and English)',
        description:
          '各事项当前版本每个字段的中文名称（title）与英文名称（x-title-en，无则为 null）。/ ' +
          "Each item's current version: every field's Chinese title and English title (x-title-en; null when absent).",
        response: { 200: FieldTitlesSchema },
      },
    },
    async (request) => ({ items: await svc.listFieldTitles(readCtx(p, request)) }),
  );

  app.get(
    `${PREFIX}/items/:code`,
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '目录事项定义（当前版本或指定版本） / Item definition (current or given version)',
        params: ItemParams,
        querystring: VersionQuery,
        response: { 200: ItemVersionSchema },
      },
    },
    async (request) => svc.getItemVersion(readCtx(p, request), request.params.code, request.query.version),
  );

  app.post(
    `${PREFIX}/items`,
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '新建目录事项 / Create a catalogue item',
        body: CreateItemBody,
        response: { 201: ItemVersionSchema },
      },
    },
    async (request, reply) => {
      const item = await inTx(p, request, (ctx) => svc.createItem(ctx, request.body));
      return reply.status(201).send(item);
    },
  );

  app.post(
    `${PREFIX}/items/:code/versions`,
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '发布目录事项新版本 / Publish a new version of an item',
        params: ItemParams,
        body: CreateVersionBody,
        response: { 201: ItemVersionSchema },
      },
    },
    async (request, reply) => {
      const item = await inTx(p, request, (ctx) =>
        svc.createItemVersion(ctx, request.params.code, request.body),
      );
      return reply.status(201).send(item);
    },
  );

  app.get(
    `${PREFIX}/items/:code/providers`,
    {
      config: { access: ['user'] },
      schema: {
        tags,
        summary: '信息提供部门 / Departments providing the item',
        params: ItemParams,
        response: { 200: ProvidersSchema },
      },
    },
    async (request) => ({
      itemCode: request.params.code,
      departmentIds: await svc.providersOf(readCtx(p, request), request.params.code),
    }),
  );

  app.put(
    `${PREFIX}/items/:code/providers`,
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '设置信息提供部门 / Set the departments providing the item',
        params: ItemParams,
        body: ProvidersBody,
        response: { 200: ProvidersSchema },
      },
    },
    async (request) => ({
      itemCode: request.params.code,
      departmentIds: await inTx(p, request, (ctx) =>
        svc.setProviders(ctx, request.params.code, request.body.departmentIds),
      ),
    }),
  );
}
