import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from '../checks/check-schema.js';
import { decodeWebhookSecret } from '../notify/signing.js';
import { isDuration, parseDuration } from '../util/duration.js';

/**
 * The config file (sigfire.yaml) as zod schemas. Every key is documented, with its default,
 * in CONFIG_KEYS (config-keys.ts); test/config.test.ts keeps the two in step.
 * Unknown keys are errors, so a typo never silently falls back to a default.
 */

export const SCHEDULE_NAMES = ['cii', 'standard-webhooks', 'fast'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];
export const AUTH_TYPES = ['none', 'basic', 'apiKey', 'oauthClientCredentials'] as const;
export const PARAMETER_LOCATIONS = ['header', 'query', 'body'] as const;
/** Top-level envelope fields a body parameter may not replace. */
export const ENVELOPE_FIELDS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'] as const;

const KEBAB_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Numbers and booleans may come from ${ENV} references, which are strings. */
const fromEnvString = (parse: (text: string) => unknown) => (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? parse(value.trim()) : value;
const envNumber = (schema: z.ZodNumber) => z.preprocess(fromEnvString((text) => (Number.isNaN(Number(text)) ? text : Number(text))), schema);
const envBoolean = () =>
  z.preprocess(fromEnvString((text) => (text === 'true' ? true : text === 'false' ? false : text)), z.boolean());

const duration = z
  .union([z.string(), z.number()])
  .refine(isDuration, { message: 'expected a duration such as "250ms", "5s", "10m", "24h" (or a number of milliseconds)' });
export type DurationValue = z.infer<typeof duration>;
const positiveDuration = z
  .union([z.string(), z.number()])
  .refine((value) => isDuration(value) && parseDuration(value) > 0, { message: 'expected a duration longer than 0 such as "5s" or "1500ms"' });

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'expected an http:// or https:// URL' },
);

export const ScheduleSpecSchema = z.union([z.enum(SCHEDULE_NAMES), z.array(duration).min(1)], {
  error: `expected one of ${SCHEDULE_NAMES.join('|')}, or a list of durations such as [0, 1s, 30s, 5m]`,
});
/** A named preset, or the wait before each attempt (the first entry is the first attempt, normally 0). */
export type ScheduleSpec = z.infer<typeof ScheduleSpecSchema>;

const nonEmpty = z.string().min(1);

function isWebhookSecret(value: string): boolean {
  try {
    return decodeWebhookSecret(value).length > 0;
  } catch {
    return false;
  }
}

export const AuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('basic'), username: nonEmpty, password: z.string() }),
  z.strictObject({
    type: z.literal('apiKey'),
    name: z.string().regex(HEADER_NAME, 'expected an HTTP header name such as "X-Api-Key"').default('X-Api-Key'),
    value: nonEmpty,
  }),
  z.strictObject({
    type: z.literal('oauthClientCredentials'),
    tokenUrl: httpUrl,
    clientId: nonEmpty,
    clientSecret: nonEmpty,
    scope: z.string().optional(),
    params: z.record(z.string(), z.string()).optional(),
  }),
]);
export type AuthConfig = z.output<typeof AuthSchema>;

export const ParameterSchema = z
  .strictObject({
    in: z.enum(PARAMETER_LOCATIONS),
    key: nonEmpty,
    value: z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }),
  })
  .superRefine((parameter, ctx) => {
    if (parameter.in === 'header' && !HEADER_NAME.test(parameter.key)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: `${JSON.stringify(parameter.key)} is not a valid HTTP header name` });
    }
    if (parameter.in === 'body' && (ENVELOPE_FIELDS as readonly string[]).includes(parameter.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key'],
        message: `${JSON.stringify(parameter.key)} is an envelope field; body parameters may only add new top-level keys`,
      });
    }
  });
export type ParameterConfig = z.output<typeof ParameterSchema>;

export const TargetFileSchema = z.strictObject({
  id: z.string().regex(KEBAB_ID, 'expected a kebab-case id such as "demo-xdr"'),
  name: nonEmpty.optional(),
  description: z.string().default(''),
  url: httpUrl,
  enabled: envBoolean().default(true),
  auth: AuthSchema.default({ type: 'none' }),
  parameters: z.array(ParameterSchema).default([]),
  timeout: positiveDuration.default('5s'),
  retry: z
    .strictObject({
      schedule: ScheduleSpecSchema.optional(),
      maxAttempts: envNumber(z.number().int().min(1)).optional(),
    })
    .prefault({}),
  rateLimit: envNumber(z.number().positive()).optional(),
  signingSecret: z
    .string()
    .refine(isWebhookSecret, { message: 'expected a Standard Webhooks secret: "whsec_" followed by base64' })
    .optional(),
  tls: z
    .strictObject({
      ca: nonEmpty.optional(),
      insecure: envBoolean().default(false),
    })
    .optional(),
});
export type TargetFile = z.output<typeof TargetFileSchema>;

export const WiringRuleSchema = z.strictObject({
  targets: z.array(nonEmpty).min(1),
  checks: z.array(z.string().regex(KEBAB_ID, 'expected a kebab-case check id such as "mfa-flood"')).optional(),
  severities: z.array(z.enum(SEVERITIES)).optional(),
  categories: z.array(z.enum(CATEGORIES)).optional(),
});
export type WiringRule = z.output<typeof WiringRuleSchema>;

export const ConfigFileSchema = z.strictObject({
  rules: nonEmpty.default('rules'),
  redis: z
    .strictObject({
      url: z.string().default(''),
      prefix: nonEmpty.default('{sigfire}'),
    })
    .prefault({}),
  envelope: z
    .strictObject({
      source: nonEmpty.default('sigfire.identity-intelligence'),
      account: nonEmpty.default('sigfire-demo'),
      region: nonEmpty.default('local'),
    })
    .prefault({}),
  delivery: z
    .strictObject({
      concurrency: envNumber(z.number().int().min(1)).default(16),
      schedule: ScheduleSpecSchema.default('fast'),
      disableAfter: duration.default('10m'),
      attemptsKept: envNumber(z.number().int().min(1)).default(50),
      lockDuration: positiveDuration.default('30s'),
    })
    .prefault({}),
  targets: z.array(TargetFileSchema).default([]),
  wiring: z.array(WiringRuleSchema).default([]),
});
export type ConfigFile = z.output<typeof ConfigFileSchema>;

export type EnvelopeSettings = ConfigFile['envelope'];
export type DeliverySettings = ConfigFile['delivery'];

/** A target after loading: name and retry schedule filled in, tls.ca an absolute path. */
export interface TargetConfig extends Omit<TargetFile, 'name' | 'retry'> {
  name: string;
  retry: { schedule: ScheduleSpec; maxAttempts?: number };
}

export interface Config extends Omit<ConfigFile, 'targets'> {
  targets: TargetConfig[];
}
