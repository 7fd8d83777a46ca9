import { ConfigFileSchema, type DeliverySettings, type TargetConfig } from '../../src/config/schema.js';

/** A loaded target as loadConfig would give it: no auth, no parameters, the `fast` schedule, a 2 s timeout. */
export function makeTarget(fields: Partial<TargetConfig> & Pick<TargetConfig, 'id' | 'url'>): TargetConfig {
  return {
    name: fields.id,
    description: '',
    enabled: true,
    auth: { type: 'none' },
    parameters: [],
    timeout: '2s',
    retry: { schedule: 'fast' },
    ...fields,
  };
}

/** The config file's delivery defaults (from the schema itself), with `fields` on top. */
export function deliverySettings(fields: Partial<DeliverySettings> = {}): DeliverySettings {
  return { ...ConfigFileSchema.parse({}).delivery, schedule: 'fast', ...fields };
}

/** A URL on 127.0.0.1 where nothing listens (port 9, discard, is closed on test machines). */
export const CLOSED_PORT_URL = 'http://127.0.0.1:9/hook';
