import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { recordRefusal } from '../modules/audit/audit.service.ts';
import { toFieldErrors } from './validation.ts';

/** Maps whatever was thrown to an AppError: ours pass through, framework errors get codes. */
export function toAppError(err: unknown, bodyLimit: number): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext;
    return new AppError('VALIDATION_FAILED', {}, toFieldErrors(err.validation, context));
  }
  const e = err as FastifyError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE', { limit: bodyLimit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { contentType: 'unknown' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('MALFORMED_JSON');
  }
  if (err instanceof SyntaxError && e.statusCode === 400) return new AppError('MALFORMED_JSON');
  if (e.statusCode === 429) return new AppError('RATE_LIMITED');
  if (e.statusCode === 405) return new AppError('METHOD_NOT_ALLOWED');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('BAD_REQUEST', { reason: e.message });
  }
  return new AppError('INTERNAL');
}

/** Refusals that say something about who is trying what: they go into the audit trail. */
const SECURITY_CODES = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'INVALID_TOKEN',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'CSRF_FAILED',
  'FORBIDDEN',
  'ROLE_NOT_GRANTABLE',
  'SMS_CODE_INVALID',
  'SMS_RATE_LIMITED',
]);

function shouldAudit(req: FastifyRequest, e: AppError): boolean {
  if (SECURITY_CODES.has(e.code)) return true;
  // A signed-in user asking for an object they cannot reach gets the same 404 as for one
  // that does not exist; the trail still shows who tried.
  return req.actor !== null && e.status === 404 && e.code !== 'ROUTE_NOT_FOUND';
}

async function auditRefusal(ctx: AppContext, req: FastifyRequest, e: AppError): Promise<void> {
  const params = (req.params ?? {}) as Record<string, unknown>;
  const target = params.id ?? params.code ?? params.no;
  try {
    await recordRefusal(ctx.database.db, {
      actor: req.actor,
      meta: req.meta ?? { requestId: req.id, ip: req.ip },
      action: `refused:${req.method} ${req.routeOptions?.url ?? req.url.split('?')[0]}`,
      targetId: typeof target === 'string' ? target : undefined,
      after: { code: e.code, details: e.details },
      outcome: 'denied',
    });
  } catch (err) {
    req.log.error({ err }, 'could not record a refusal in the audit trail');
  }
}

export function installErrorHandling(app: FastifyInstance, ctx: AppContext): void {
  const bodyLimit = ctx.config.bodyLimit;
  app.setErrorHandler(async (err, req, reply) => {
    const appErr = toAppError(err, bodyLimit);
    if (appErr.code === 'UNSUPPORTED_MEDIA_TYPE') {
      appErr.details.contentType = String(req.headers['content-type'] ?? '');
    }
    if (appErr.status >= 500) req.log.error({ err }, 'request failed');
    else if (SECURITY_CODES.has(appErr.code)) {
      req.log.warn({ security: true, code: appErr.code, userId: req.actor?.userId }, 'refused');
    } else
      req.log.info({ code: appErr.code, fields: appErr.fields?.map((f) => f.field) }, 'refused');
    if (shouldAudit(req, appErr)) await auditRefusal(ctx, req, appErr);
    if (appErr.code === 'ACCOUNT_LOCKED' || appErr.code === 'SMS_RATE_LIMITED') {
      void reply.header('retry-after', String(appErr.details.retryAfter ?? 60));
    }
    const lang = req.lang;
    return reply
      .status(appErr.status)
      .header('content-language', lang)
      .send({
        error: {
          code: appErr.code,
          message: appErr.localizedMessage(lang),
          ...(appErr.fields
            ? {
                fields: appErr.fields.map((f) => ({
                  field: f.field,
                  message: lang === 'en' ? f.message.en : f.message.zh,
                })),
              }
            : {}),
          requestId: req.id,
        },
      });
  });

  app.setNotFoundHandler((req, reply) => {
    const lang = req.lang;
    const e = new AppError('ROUTE_NOT_FOUND', { method: req.method, url: req.url.split('?')[0]! });
    void reply.status(404).send({
      error: { code: e.code, message: e.localizedMessage(lang), requestId: req.id },
    });
  });
}
