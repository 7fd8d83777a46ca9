import { z } from 'zod';
import { EVENT_TYPES } from '../events/schema.js';
import { isDuration } from '../util/duration.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const CATEGORIES = ['threat', 'posture'] as const;

const duration = z.union([z.string(), z.number()]).refine(isDuration, { message: 'expected a duration such as "30s", "5m", "24h", "7d"' });

/** One file in rules/: a json-rules-engine rule plus the metadata CII shows for a check. */
export const CheckFileSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id such as "mfa-flood"'),
  name: z.string().min(1),
  severity: z.enum(SEVERITIES),
  category: z.enum(CATEGORIES),
  description: z.string().min(1),
  recommendedActions: z.array(z.string().min(1)).min(1),
  mitre: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'expected a MITRE ATT&CK technique id such as "T1110.003"')).default([]),
  eventTypes: z.array(z.enum(EVENT_TYPES)).min(1),
  suppress: z
    .strictObject({
      window: duration,
      /** dot path into the event whose value scopes the suppression; default the user's login */
      key: z.string().min(1).default('user.login'),
    })
    .optional(),
  enabled: z.boolean().default(true),
  rule: z.looseObject({
    conditions: z.record(z.string(), z.unknown()),
    event: z.looseObject({ type: z.string().min(1), params: z.record(z.string(), z.unknown()).optional() }),
    priority: z.number().int().min(1).optional(),
    name: z.string().optional(),
  }),
});

export type CheckFile = z.infer<typeof CheckFileSchema>;

/** A loaded check: the validated file plus where it came from and its suppression in ms. */
export interface Check extends CheckFile {
  file: string;
  suppressMs: number;
  suppressKey: string;
}
