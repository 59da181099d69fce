import {
  CERTIFICATE_NO,
  certificateDetailSchema,
  certificateListSchema,
  certificateNoParams,
  certificateVerificationSchema,
  errorBodySchema,
  revokeCertificateBody,
  sealListSchema,
  sealRotateParams,
  sealRotationSchema,
} from '@yimen/core';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireActor, requireStaffActor } from '../../auth/auth-hooks.ts';
import { AppError } from '../../errors.ts';
import { write } from '../../http/write.ts';
import {
  getCertificate,
  getCertificatePdf,
  listMyCertificates,
  revokeCertificate,
  verifyCertificate,
} from './certificates.service.ts';
import { listPublishedSeals, rotateSealOf } from './seals.service.ts';
import { renderNotFoundPage, renderVerifyPage } from './verify-page.ts';

const tags = ['certificates'];
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
};

/**
 * The public check needs no sign-in and certificate numbers run in sequence, so without a
 * limit anyone could walk the numbers and collect every holder's masked name. A bank clerk
 * or a villager scanning a QR code asks a few times a minute; 60 a minute per client lets
 * them be and stops a crawl (429 with Retry-After). The JSON check and the page share one
 * count.
 */
export const VERIFY_RATE_LIMIT = { max: 60, timeWindow: 60_000 };

/**
 * Whom a limit counts: an IPv4 address, or an IPv6 client by its /64 (one household or
 * phone holds a whole /64 and could otherwise take a fresh address per request). Behind a
 * proxy the address is the forwarded one only as far as YIMEN_TRUST_PROXY trusts it.
 */
export function clientKey(ip: string): string {
  const addr = ip.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (mapped) return mapped[1]!;
  if (!addr.includes(':')) return addr;
  const [head = '', tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Where the client reached us, for the QR code's link (behind a proxy: YIMEN_TRUST_PROXY). */
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export function certificatesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    const verifyLimit = app.rateLimit({
      ...VERIFY_RATE_LIMIT,
      keyGenerator: (req) => clientKey(req.ip),
    });
    app.get(
      '/api/v1/seals',
      {
        schema: {
          tags,
          summary:
            '印章公钥（JWK，含已停用）/ Seal public keys as JWK, retired ones too, for offline checks',
          response: { 200: sealListSchema },
        },
      },
      async (_req, reply) => {
        void reply.header('cache-control', 'public, max-age=300');
        return listPublishedSeals(db);
      },
    );

    app.post(
      '/api/v1/seals/:servicePointCode/rotate',
      {
        schema: {
          tags,
          summary:
            '更换印章密钥（旧钥继续公布）/ Rotate a unit’s seal key; the old one stays published',
          params: sealRotateParams,
          response: { 200: sealRotationSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          rotateSealOf(ctx, trx, actor, req.meta, req.params.servicePointCode),
        );
      },
    );

    app.get(
      '/api/v1/verify/:certificateNo',
      {
        onRequest: verifyLimit,
        schema: {
          tags,
          summary:
            '核验电子证照（无需登录，仅脱敏信息）/ Verify a certificate: public, masked details only',
          params: certificateNoParams,
          response: {
            200: certificateVerificationSchema,
            400: errorBodySchema,
            404: errorBodySchema,
            429: errorBodySchema,
          },
        },
      },
      async (req, reply) => {
        void reply.header('cache-control', 'no-store');
        return verifyCertificate(db, req.params.certificateNo);
      },
    );

    app.get(
      '/verify/:certificateNo',
      {
        onRequest: verifyLimit,
        schema: {
          tags,
          summary: '核验页（扫码打开）/ The verification page a QR code opens (HTML)',
          params: z.object({ certificateNo: z.string() }),
        },
      },
      async (req, reply) => {
        void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
        const no = req.params.certificateNo;
        if (no.length > 80 || !CERTIFICATE_NO.test(no)) {
          return reply.status(400).send(renderNotFoundPage('malformed'));
        }
        try {
          return reply.send(renderVerifyPage(await verifyCertificate(db, no)));
        } catch (err) {
          if (err instanceof AppError && err.code === 'CERTIFICATE_NOT_FOUND') {
            return reply.status(404).send(renderNotFoundPage('missing'));
          }
          throw err;
        }
      },
    );

    app.get(
      '/api/v1/me/certificates',
      {
        schema: {
          tags,
          summary: '我的电子证照 / My certificates (citizens)',
          response: { 200: certificateListSchema, ...errors },
        },
      },
      (req) => listMyCertificates(db, requireActor(req)),
    );

    app.get(
      '/api/v1/certificates/:certificateNo',
      {
        schema: {
          tags,
          summary:
            '证照详情（持证人或辖区工作人员）/ A certificate, for its holder or staff of the region',
          params: certificateNoParams,
          response: { 200: certificateDetailSchema, ...errors },
        },
      },
      (req) => getCertificate(db, requireActor(req), req.params.certificateNo),
    );

    app.get(
      '/api/v1/certificates/:certificateNo/pdf',
      {
        schema: {
          tags,
          summary:
            '证照 PDF（含电子印章与核验二维码）/ The certificate as PDF, with seal and QR code',
          params: certificateNoParams,
        },
      },
      async (req, reply) => {
        const no = req.params.certificateNo;
        const pdf = await getCertificatePdf(db, requireActor(req), no, originOf(req));
        return reply
          .type('application/pdf')
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `inline; filename="certificate-${no}.pdf"`)
          .send(pdf);
      },
    );

    app.post(
      '/api/v1/certificates/:certificateNo/revoke',
      {
        schema: {
          tags,
          summary: '撤销证照（发证单位，留痕）/ Revoke a certificate: the issuing unit, audited',
          params: certificateNoParams,
          body: revokeCertificateBody,
          response: { 200: certificateDetailSchema, ...errors, 409: errorBodySchema },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          revokeCertificate(trx, actor, req.meta, req.params.certificateNo, req.body),
        );
      },
    );
  };
}
