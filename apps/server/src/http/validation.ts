import type { FastifySchemaValidationError } from 'fastify';
import type { Bilingual, FieldError } from '../errors.ts';

/** Separates the zh-CN and English halves of a custom message: see `bi()` in @yimen/core. */
const SEP = '‖';

const CONTEXT_PREFIX: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/**
 * Turns the validator's issues into field errors with a message in each language. The
 * messages name the rule that failed (too long, wrong type, unknown field) so a clerk can
 * correct the input without reading a schema.
 */
export function toFieldErrors(
  issues: FastifySchemaValidationError[],
  context: string | undefined,
): FieldError[] {
  const prefix = CONTEXT_PREFIX[context ?? 'body'] ?? context ?? 'body';
  const out: FieldError[] = [];
  for (const issue of issues) {
    const params = (issue.params ?? {}) as Record<string, unknown>;
    const base = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys)) {
      for (const key of params.keys as string[]) {
        out.push({
          field: [prefix, base, key].filter(Boolean).join('.'),
          message: { zh: '不允许的字段', en: 'unknown field' },
        });
      }
      continue;
    }
    out.push({
      field: [prefix, base].filter(Boolean).join('.'),
      message: describe(issue.keyword, params, issue.message ?? ''),
    });
  }
  return out;
}

function describe(code: string, p: Record<string, unknown>, message: string): Bilingual {
  if (message.includes(SEP)) {
    const [zh = message, en = message] = message.split(SEP);
    return { zh, en };
  }
  switch (code) {
    case 'invalid_type':
      // zod 4 leaves the input out of its issues; its message names what it received.
      if (p.input === undefined && /received undefined/.test(message)) {
        return { zh: '必填', en: 'required' };
      }
      return {
        zh: `类型错误，应为 ${typeName(p.expected, 'zh')}`,
        en: `wrong type, expected ${typeName(p.expected, 'en')}`,
      };
    case 'too_big':
      return p.origin === 'string'
        ? { zh: `过长，最多 ${p.maximum} 个字符`, en: `too long, at most ${p.maximum} characters` }
        : p.origin === 'array'
          ? { zh: `过多，最多 ${p.maximum} 项`, en: `too many, at most ${p.maximum} items` }
          : { zh: `过大，最大为 ${p.maximum}`, en: `too large, at most ${p.maximum}` };
    case 'too_small':
      return p.origin === 'string'
        ? Number(p.minimum) === 1
          ? { zh: '不能为空', en: 'must not be empty' }
          : {
              zh: `过短，至少 ${p.minimum} 个字符`,
              en: `too short, at least ${p.minimum} characters`,
            }
        : p.origin === 'array'
          ? { zh: `至少 ${p.minimum} 项`, en: `at least ${p.minimum} items` }
          : { zh: `过小，最小为 ${p.minimum}`, en: `too small, at least ${p.minimum}` };
    case 'invalid_format':
      return { zh: `格式错误（${p.format}）`, en: `invalid format (${p.format})` };
    case 'invalid_value':
      return {
        zh: `取值无效，可选：${formatValues(p.values)}`,
        en: `invalid value, one of: ${formatValues(p.values)}`,
      };
    case 'not_multiple_of':
      return { zh: `应为 ${p.divisor} 的倍数`, en: `must be a multiple of ${p.divisor}` };
    default:
      return { zh: `取值无效：${message}`, en: message || 'invalid value' };
  }
}

function typeName(expected: unknown, lang: 'zh' | 'en'): string {
  const zh: Record<string, string> = {
    string: '字符串',
    number: '数字',
    int: '整数',
    boolean: '布尔值',
    object: '对象',
    array: '数组',
  };
  const key = String(expected);
  return lang === 'zh' ? (zh[key] ?? key) : key;
}

function formatValues(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => String(v)).join(', ') : String(values);
}
