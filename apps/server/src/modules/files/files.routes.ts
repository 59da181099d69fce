import { errorBodySchema, sha256Schema, uploadedFileSchema } from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireActor } from '../../auth/auth-hooks.ts';
import { write } from '../../http/write.ts';
import { keepFileBytes, MAX_FILE_BYTES, readableFile, recordFile } from './files.service.ts';

const UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream'];

export function filesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Scans and photos arrive as the raw bytes of one file; the type is read from the content.
    app.addContentTypeParser(
      UPLOAD_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES },
      (_req, body, done) => done(null, body),
    );

    app.post(
      '/api/v1/files',
      {
        bodyLimit: MAX_FILE_BYTES,
        schema: {
          tags: ['files'],
          summary:
            '上传材料（PDF/JPEG/PNG，≤10 MB） / Upload a material: the raw bytes of one PDF, JPEG or PNG',
          response: {
            201: uploadedFileSchema,
            400: errorBodySchema,
            413: errorBodySchema,
            415: errorBodySchema,
          },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        const file = await keepFileBytes(ctx, req.body);
        return write(ctx, req, reply, { status: 201, oneStatement: true }, (db) =>
          recordFile(db, actor, file),
        );
      },
    );

    app.get(
      '/api/v1/files/:sha256',
      {
        schema: {
          tags: ['files'],
          summary: '下载材料 / Download a material one may see',
          params: z.strictObject({ sha256: sha256Schema }),
        },
      },
      async (req, reply) => {
        const file = await readableFile(ctx, requireActor(req), req.params.sha256);
        return reply
          .type(file.mime)
          .header('cache-control', 'private, max-age=86400')
          .send(file.bytes);
      },
    );
  };
}
