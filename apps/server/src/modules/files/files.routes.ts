import { errorBodySchema, sha256Schema } from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireActor } from '../../auth/auth-hooks.ts';
import { AppError } from '../../errors.ts';
import { MAX_FILE_BYTES, readableFile, storeFile } from './files.service.ts';

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
            201: z.object({ sha256: z.string(), size: z.number(), mime: z.string() }),
            400: errorBodySchema,
            413: errorBodySchema,
            415: errorBodySchema,
          },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        const body = req.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new AppError('FILE_TYPE_NOT_ALLOWED');
        return reply.status(201).send(await storeFile(ctx, actor, body));
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
