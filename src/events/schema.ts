import { z } from 'zod';

/**
 * The normalized identity event: one shape for every source (fixtures, generator,
 * IdP exports). CII's own enums are the vocabulary; an unknown enum value is an
 * error (it would silently never match a check), an unknown extra field is kept.
 */

export const PROVIDERS = ['OKTA', 'AZURE_AD', 'DUO', 'G_SUITE', 'PING', 'ONELOGIN', 'OTHER'] as const;
export const EVENT_TYPES = ['login', 'mfa', 'user', 'admin', 'session', 'risk'] as const;
export const USER_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED', 'DEPROVISIONED', 'LOCKED', 'PROVISIONED', 'STAGED', 'UNKNOWN'] as const;
export const USER_TYPES = ['INTERNAL', 'EXTERNAL', 'SERVICE_ACCOUNT', 'ADMIN', 'GUEST', 'UNKNOWN'] as const;
export const LOGIN_RESULTS = ['SUCCESS', 'FAILURE', 'DENIED', 'TIMEOUT', 'FRAUD', 'ERROR', 'UNKNOWN'] as const;
export const FACTORS = ['password', 'push', 'sms', 'voice', 'totp', 'webauthn', 'email', 'bypass_code', 'sso', 'none', 'unknown'] as const;
export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;

const ISO_TIMESTAMP_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * What is wrong with `text` as an ISO 8601 timestamp with a date, a time and a zone, or undefined
 * when nothing is; rejects "2024-02-30" and friends. The event schema and the IdP adapters both use it.
 */
export function timestampProblem(text: string): string | undefined {
  if (!ISO_TIMESTAMP_WITH_ZONE.test(text)) return `not an ISO 8601 timestamp with a zone: ${JSON.stringify(text.slice(0, 40))}`;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(y, m - 1, d));
  if (Number.isNaN(Date.parse(text)) || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d) {
    return `impossible timestamp: ${JSON.stringify(text)}`;
  }
  return undefined;
}

const isoTime = z.string().superRefine((value, ctx) => {
  const problem = timestampProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

export const GeoSchema = z.looseObject({
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO-3166 alpha-2 country code such as "US"').optional(),
  city: z.string().optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
});

export const UserSchema = z.looseObject({
  login: z.string().min(1),
  id: z.string().optional(),
  displayName: z.string().optional(),
  email: z.string().optional(),
  status: z.enum(USER_STATUSES).optional(),
  type: z.enum(USER_TYPES).optional(),
  roles: z.array(z.string()).optional(),
  mfaEnabled: z.boolean().optional(),
  factors: z.array(z.string()).optional(),
  bypassMfa: z.boolean().optional(),
  createdAt: isoTime.optional(),
  lastSuccessAt: isoTime.optional(),
});

export const LoginSchema = z.looseObject({
  result: z.enum(LOGIN_RESULTS).optional(),
  reason: z.string().optional(),
  factor: z.enum(FACTORS).optional(),
  application: z.string().optional(),
  ip: z.string().optional(),
  geo: GeoSchema.optional(),
  asn: z.number().int().optional(),
  anonymizer: z.boolean().optional(),
  userAgent: z.string().optional(),
  browser: z.string().optional(),
  deviceId: z.string().optional(),
  sessionId: z.string().optional(),
  risk: z.enum(RISK_LEVELS).optional(),
});

export const IdentityEventSchema = z.looseObject({
  id: z.string().min(1),
  time: isoTime,
  provider: z.enum(PROVIDERS),
  type: z.enum(EVENT_TYPES),
  /** what happened, for user/admin/mfa events: created, updated, role_assigned, mfa_enrolled, ... */
  action: z.string().optional(),
  /** the role granted or revoked, for role_assigned / role_removed */
  role: z.string().optional(),
  actor: z.looseObject({ login: z.string() }).optional(),
  user: UserSchema,
  login: LoginSchema.optional(),
});

export type IdentityEvent = z.infer<typeof IdentityEventSchema>;
export type EventUser = z.infer<typeof UserSchema>;
export type LoginDetails = z.infer<typeof LoginSchema>;
export type EventType = (typeof EVENT_TYPES)[number];

/** User-directory actions understood on `type: "user"` events. */
export const USER_ACTIONS = [
  'created', 'updated', 'role_assigned', 'role_removed', 'mfa_enrolled', 'mfa_removed',
  'status_changed', 'deleted',
] as const;
