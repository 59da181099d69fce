import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The built web app (apps/web/dist), made by scripts/build-web.mjs before `npm start`. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths the single-page app never answers: the API, the health check, the verify page. */
const NOT_THE_APP = /^\/(api|health|verify)(\/|$|\?)/;

/**
 * Serves the web app at `/`: hashed assets cached for a year, index.html never cached, and any
 * other GET that is not the API falls back to index.html so client-side routes survive a
 * reload. Without a build, `/` goes to the API docs as before.
 */
export function webApp(dist = WEB_DIST) {
  return async function web(app: FastifyInstance): Promise<void> {
    const index = path.join(dist, 'index.html');
    if (!fs.existsSync(index)) {
      app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/api/docs'));
      return;
    }
    await app.register(fastifyStatic, {
      root: dist,
      wildcard: false,
      index: false,
      // The build writes .br and .gz beside each asset: sent as they are when accepted.
      preCompressed: true,
      cacheControl: false,
      setHeaders(res, filePath) {
        const hashed = filePath.includes(`${path.sep}assets${path.sep}`);
        res.setHeader(
          'cache-control',
          hashed ? 'public, max-age=31536000, immutable' : 'no-cache, max-age=0',
        );
      },
    });
    const shell = async (req: FastifyRequest, reply: FastifyReply) => {
      if (NOT_THE_APP.test(req.url)) return reply.callNotFound();
      return reply
        .header('cache-control', 'no-cache, max-age=0')
        .type('text/html; charset=utf-8')
        .send(fs.createReadStream(index));
    };
    app.get('/', { schema: { hide: true } }, shell);
    app.get('/*', { schema: { hide: true } }, shell);
  };
}
