import {
  catalogCheckResultSchema,
  createItemBody,
  draftBody,
  errorBodySchema,
  errorResponses,
  exportQuery,
  exportSchema,
  importCatalogBody,
  importResultSchema,
  itemCodeParams,
  itemGetQuery,
  itemPageSchema,
  itemSearchQuery,
  itemVersionParams,
  itemVersionSchema,
  themeListSchema,
  versionListSchema,
} from '@yimen/core';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireStaffActor } from '../../auth/auth-hooks.ts';
import { write } from '../../http/write.ts';
import {
  checkContent,
  createItem,
  importCatalog,
  publishVersion,
  retireItem,
  saveDraft,
  updateVersion,
} from './catalog.admin.service.ts';
import { renderGuideHtml, renderGuidePdf } from './catalog.guide.ts';
import {
  exportCatalog,
  getItemVersion,
  listItemVersions,
  listThemes,
  searchCatalog,
} from './catalog.query.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const tags = ['catalog'];

/** Who changes the catalogue in this request: a signed-in staff member (the service checks scope). */
const editorOf = (req: FastifyRequest) => ({ actor: requireStaffActor(req), meta: req.meta });

export function catalogRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/api/v1/catalog/items',
      {
        schema: {
          tags,
          summary: '查找事项 / Find items by keyword, pinyin, theme, department, channel',
          querystring: itemSearchQuery,
          response: { 200: itemPageSchema, ...errors },
        },
      },
      (req) => searchCatalog(ctx, req.query, req.actor),
    );
    app.get(
      '/api/v1/catalog/themes',
      {
        schema: {
          tags,
          summary: '“一件事”主题 / Life-event themes with item counts',
          querystring: z.strictObject({ region: itemSearchQuery.shape.region }),
          response: { 200: themeListSchema, ...errors },
        },
      },
      (req) => listThemes(ctx, req.query.region, req.lang),
    );
    app.get(
      '/api/v1/catalog/items/:code',
      {
        schema: {
          tags,
          summary: '办事指南 / An item’s guide (the version in force, or ?version=)',
          params: itemCodeParams,
          querystring: itemGetQuery,
          response: { 200: itemVersionSchema, ...errors },
        },
      },
      (req) => getItemVersion(db, req.actor, req.params.code, req.query.version),
    );
    app.get(
      '/api/v1/catalog/items/:code/versions',
      {
        schema: {
          tags,
          summary: '事项版本 / The versions of an item',
          params: itemCodeParams,
          response: { 200: versionListSchema, ...errors },
        },
      },
      (req) => listItemVersions(db, req.actor, req.params.code),
    );
    app.get(
      '/api/v1/catalog/items/:code/guide.html',
      {
        schema: {
          tags,
          summary: '可打印办事指南 (HTML) / Printable guide',
          params: itemCodeParams,
          querystring: itemGetQuery,
        },
      },
      async (req, reply) => {
        const v = await getItemVersion(db, req.actor, req.params.code, req.query.version);
        return reply.type('text/html; charset=utf-8').send(renderGuideHtml(v));
      },
    );
    app.get(
      '/api/v1/catalog/items/:code/guide.pdf',
      {
        schema: {
          tags,
          summary: '办事指南 PDF / The guide as PDF, Chinese text embedded',
          params: itemCodeParams,
          querystring: itemGetQuery,
        },
      },
      async (req, reply) => {
        const v = await getItemVersion(db, req.actor, req.params.code, req.query.version);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="guide-${v.code}-v${v.version}.pdf"`)
          .send(await renderGuidePdf(v));
      },
    );

    // Administration: county and city admins within their region.
    app.post(
      '/api/v1/catalog/items',
      {
        schema: {
          tags,
          summary: '新建事项（草稿第 1 版） / Create an item as draft version 1',
          body: createItemBody,
          response: { 201: z.object({ code: z.string(), version: z.number() }), ...errors },
        },
      },
      async (req, reply) => {
        const editor = editorOf(req);
        return write(ctx, req, reply, { status: 201 }, (trx) => createItem(trx, editor, req.body));
      },
    );
    app.put(
      '/api/v1/catalog/items/:code/draft',
      {
        schema: {
          tags,
          summary: '保存草稿（新版本） / Save the draft, opening a new version if none is open',
          params: itemCodeParams,
          body: draftBody,
          response: { 200: z.object({ code: z.string(), version: z.number() }), ...errors },
        },
      },
      async (req, reply) => {
        const editor = editorOf(req);
        return write(ctx, req, reply, {}, (trx) =>
          saveDraft(trx, editor, req.params.code, req.body.content),
        );
      },
    );
    app.post(
      '/api/v1/catalog/items/:code/check',
      {
        schema: {
          tags,
          summary:
            '一致性检查（不保存） / Run the publishing checks on unsaved content, listing every problem',
          params: itemCodeParams,
          body: draftBody,
          response: { 200: catalogCheckResultSchema, ...errors },
        },
      },
      (req) => checkContent(db, editorOf(req), req.params.code, req.body.content, req.lang),
    );
    app.put(
      '/api/v1/catalog/items/:code/versions/:version',
      {
        schema: {
          tags,
          summary:
            '修改草稿版本（已发布的不可改） / Edit a draft version; published ones are frozen',
          params: itemVersionParams,
          body: draftBody,
          response: { 200: z.object({ code: z.string(), version: z.number() }), ...errors },
        },
      },
      async (req, reply) => {
        const editor = editorOf(req);
        const { code, version } = req.params;
        return write(ctx, req, reply, {}, (trx) =>
          updateVersion(trx, editor, code, version, req.body.content),
        );
      },
    );
    app.post(
      '/api/v1/catalog/items/:code/versions/:version/publish',
      {
        schema: {
          tags,
          summary: '发布版本（一致性检查） / Publish after the consistency checks',
          params: itemVersionParams,
          response: { 200: itemVersionSchema, 422: errorBodySchema, ...errors },
        },
      },
      async (req, reply) => {
        const editor = editorOf(req);
        const { code, version } = req.params;
        return write(ctx, req, reply, {}, (trx) => publishVersion(trx, editor, code, version));
      },
    );
    app.post(
      '/api/v1/catalog/items/:code/retire',
      {
        schema: {
          tags,
          summary: '停用事项 / Retire an item',
          params: itemCodeParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        const editor = editorOf(req);
        return write(ctx, req, reply, { status: 204 }, (trx) =>
          retireItem(trx, editor, req.params.code),
        );
      },
    );
    app.post(
      '/api/v1/catalog/import',
      {
        schema: {
          tags,
          summary: '导入事项目录 / Import a catalogue (all or nothing)',
          body: importCatalogBody,
          response: { 200: importResultSchema, ...errors },
        },
      },
      async (req, reply) => {
        const editor = editorOf(req);
        const { items, publish } = req.body;
        return write(ctx, req, reply, {}, (trx) => importCatalog(trx, editor, items, publish));
      },
    );
    app.get(
      '/api/v1/catalog/export',
      {
        schema: {
          tags,
          summary: '导出事项目录 / Export the published catalogue',
          querystring: exportQuery,
          response: { 200: exportSchema, ...errors },
        },
      },
      (req) => exportCatalog(db, req.query.within),
    );
  };
}
