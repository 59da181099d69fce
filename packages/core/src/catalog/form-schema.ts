import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { idNumberSchema } from '../id-number.ts';
import { mobileSchema } from '../phone.ts';

/**
 * An application form, as data: a list of fields with labels in both languages. The server
 * turns it into a zod schema to validate what is submitted (`formToZod`); the web app renders
 * it; `formToJsonSchema` publishes it as JSON Schema for other clients.
 */
const label = z.strictObject({
  zh: z.string().trim().min(1).max(100),
  en: z.string().trim().min(1).max(100),
});

const base = {
  key: z
    .string()
    .regex(
      /^[a-z][a-zA-Z0-9]{0,39}$/,
      bi(
        '字段标识须为小写字母开头的字母数字',
        'a field key is letters and digits starting lower-case',
      ),
    ),
  label,
  required: z.boolean().default(false),
  help: label.optional(),
};

export const formFieldSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('text'),
    maxLength: z.number().int().min(1).max(2000).default(100),
    pattern: z.string().max(200).optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('textarea'),
    maxLength: z.number().int().min(1).max(5000).default(1000),
  }),
  z.strictObject({
    ...base,
    type: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
  }),
  z.strictObject({ ...base, type: z.literal('date'), notAfterToday: z.boolean().default(false) }),
  z.strictObject({ ...base, type: z.literal('boolean') }),
  z.strictObject({
    ...base,
    type: z.literal('select'),
    options: z
      .array(z.strictObject({ value: z.string().min(1).max(60), label }))
      .min(1)
      .max(100),
    multiple: z.boolean().default(false),
  }),
  z.strictObject({ ...base, type: z.literal('idNumber') }),
  z.strictObject({ ...base, type: z.literal('mobile') }),
  z.strictObject({
    ...base,
    type: z.literal('region'),
    level: z.enum(['county', 'township', 'village']).default('village'),
  }),
]);
export type FormField = z.infer<typeof formFieldSchema>;

export const formSchema = z
  .strictObject({ fields: z.array(formFieldSchema).max(60) })
  .superRefine((form, ctx) => {
    const seen = new Set<string>();
    form.fields.forEach((f, i) => {
      if (seen.has(f.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'key'],
          message: bi(`字段标识 ${f.key} 重复`, `duplicate field key ${f.key}`),
        });
      }
      seen.add(f.key);
      if (f.type === 'number' && f.min !== undefined && f.max !== undefined && f.min > f.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'min'],
          message: bi('最小值大于最大值', 'min is greater than max'),
        });
      }
      if (f.type === 'text' && f.pattern) {
        try {
          new RegExp(f.pattern);
        } catch {
          ctx.addIssue({
            code: 'custom',
            path: ['fields', i, 'pattern'],
            message: bi('正则表达式无效', 'invalid regular expression'),
          });
        }
      }
    });
  });
export type Form = z.infer<typeof formSchema>;

function fieldToZod(f: FormField): z.ZodType {
  switch (f.type) {
    case 'text': {
      let s = z.string().trim().max(f.maxLength);
      if (f.required) s = s.min(1);
      if (f.pattern)
        s = s.regex(
          new RegExp(f.pattern),
          bi(`${f.label.zh}格式不正确`, `${f.label.en} has the wrong format`),
        );
      return s;
    }
    case 'textarea':
      return f.required
        ? z.string().trim().min(1).max(f.maxLength)
        : z.string().trim().max(f.maxLength);
    case 'number': {
      let n = z.number();
      if (f.integer) n = n.int();
      if (f.min !== undefined) n = n.min(f.min);
      if (f.max !== undefined) n = n.max(f.max);
      return n;
    }
    case 'date':
      return z.iso
        .date()
        .refine(
          (d) => !f.notAfterToday || d <= new Date().toISOString().slice(0, 10),
          bi('日期不能晚于今天', 'the date cannot be after today'),
        );
    case 'boolean':
      return z.boolean();
    case 'select': {
      const values = f.options.map((o) => o.value) as [string, ...string[]];
      return f.multiple ? z.array(z.enum(values)).min(f.required ? 1 : 0) : z.enum(values);
    }
    case 'idNumber':
      return idNumberSchema;
    case 'mobile':
      return mobileSchema;
    case 'region':
      return z
        .string()
        .regex(/^\d{6}(\d{3}(\d{3})?)?$/, bi('行政区划代码格式错误', 'not a region code'));
  }
}

/** The zod schema that validates a submission of this form: unknown keys are refused. */
export function formToZod(form: Form): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const f of form.fields) shape[f.key] = f.required ? fieldToZod(f) : fieldToZod(f).optional();
  return z.strictObject(shape);
}

/** The form as JSON Schema (draft 2020-12), labels in `title` and `x-label-en`. */
export function formToJsonSchema(form: Form): Record<string, unknown> {
  const json = z.toJSONSchema(formToZod(form), { unrepresentable: 'any', io: 'input' }) as {
    properties?: Record<string, Record<string, unknown>>;
  };
  for (const f of form.fields) {
    const prop = json.properties?.[f.key];
    if (prop)
      Object.assign(prop, { title: f.label.zh, 'x-label-en': f.label.en, 'x-field-type': f.type });
  }
  return json as Record<string, unknown>;
}
