import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, pickLang } from '../errors.ts';
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

export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err, req, reply) => {
    const appErr = toAppError(err, bodyLimit);
    if (appErr.code === 'UNSUPPORTED_MEDIA_TYPE') {
      appErr.details.contentType = String(req.headers['content-type'] ?? '');
    }
    if (appErr.status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: appErr.code, fields: appErr.fields?.map((f) => f.field) }, 'refused');
    const lang = pickLang(req.headers['accept-language']);
    void reply
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
    const lang = pickLang(req.headers['accept-language']);
    const e = new AppError('ROUTE_NOT_FOUND', { method: req.method, url: req.url.split('?')[0]! });
    void reply.status(404).send({
      error: { code: e.code, message: e.localizedMessage(lang), requestId: req.id },
    });
  });
}
