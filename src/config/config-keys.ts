/**
 * Every config key with its default and meaning: the source of the README's config
 * reference and of "did you mean" hints. `[]` stands for "each item of the list".
 * test/config.test.ts checks this table against the zod schema, key for key.
 */
export interface ConfigKeyDoc {
  key: string;
  /** the default as it would be written in YAML; undefined when the key is required or simply optional */
  default?: string;
  required?: boolean;
  description: string;
}

export const CONFIG_KEYS: readonly ConfigKeyDoc[] = [
  { key: 'rules', default: 'rules', description: 'Directory of the check catalog, relative to the config file.' },
  { key: 'redis', description: 'Redis connection for the queue and the shared target status.' },
  { key: 'redis.url', default: '""', description: 'Redis URL (redis://host:6379/0); REDIS_URL overrides it. Empty: 127.0.0.1:6379 (npm run demo starts a throwaway redis-server when none answers).' },
  { key: 'redis.prefix', default: '"{sigfire}"', description: 'Key prefix for every Redis key (braces keep keys in one Redis Cluster slot).' },
  { key: 'envelope', description: 'Fixed fields of every notification envelope.' },
  { key: 'envelope.source', default: 'sigfire.identity-intelligence', description: 'Envelope `source`.' },
  { key: 'envelope.account', default: 'sigfire-demo', description: 'Envelope `account`.' },
  { key: 'envelope.region', default: 'local', description: 'Envelope `region`.' },
  { key: 'delivery', description: 'Queue and worker settings.' },
  { key: 'delivery.concurrency', default: '16', description: 'Deliveries in flight per worker process.' },
  {
    key: 'delivery.schedule',
    default: 'fast',
    description:
      'Default retry schedule of targets: `fast` (0, 200ms, 500ms, 1s, 2s, 5s), `standard-webhooks` (0, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h), `cii` (1s doubling up to 24h, 185 attempts) or a list of durations, one per attempt.',
  },
  { key: 'delivery.disableAfter', default: '10m', description: 'A target whose every attempt failed for this long is disabled. `0` never disables.' },
  { key: 'delivery.attemptsKept', default: '50', description: 'Attempts recorded per delivery (older ones are dropped).' },
  { key: 'delivery.lockDuration', default: '30s', description: 'How long a worker holds a job it is delivering; a job whose worker died goes back to the queue within about twice this.' },
  { key: 'targets', default: '[]', description: 'Notification targets (webhooks).' },
  { key: 'targets[].id', required: true, description: 'Kebab-case id, unique among targets; wiring refers to it.' },
  { key: 'targets[].name', default: 'the id', description: 'Display name.' },
  { key: 'targets[].description', default: '""', description: 'Free text.' },
  { key: 'targets[].url', required: true, description: 'http:// or https:// URL notifications are POSTed to.' },
  { key: 'targets[].enabled', default: 'true', description: '`false` keeps the target configured but sends it nothing.' },
  { key: 'targets[].auth', default: '{ type: none }', description: 'How sigfire authenticates to the target.' },
  { key: 'targets[].auth.type', required: true, description: '`none`, `basic`, `apiKey` or `oauthClientCredentials`.' },
  { key: 'targets[].auth.username', required: true, description: 'basic: user name.' },
  { key: 'targets[].auth.password', required: true, description: 'basic: password (secret; use ${ENV}).' },
  { key: 'targets[].auth.name', default: 'X-Api-Key', description: 'apiKey: the header that carries the key.' },
  { key: 'targets[].auth.value', required: true, description: 'apiKey: the key (secret; use ${ENV}).' },
  { key: 'targets[].auth.tokenUrl', required: true, description: 'oauthClientCredentials: token endpoint URL.' },
  { key: 'targets[].auth.clientId', required: true, description: 'oauthClientCredentials: client id.' },
  { key: 'targets[].auth.clientSecret', required: true, description: 'oauthClientCredentials: client secret (secret; use ${ENV}).' },
  { key: 'targets[].auth.scope', description: 'oauthClientCredentials: requested scope, optional.' },
  { key: 'targets[].auth.params', description: 'oauthClientCredentials: extra form fields for the token request (audience, ...), optional.' },
  { key: 'targets[].parameters', default: '[]', description: 'Extra HTTP parameters sent with every request.' },
  { key: 'targets[].parameters[].in', required: true, description: '`header`, `query` (appended to the URL) or `body` (a new top-level key of the JSON body).' },
  { key: 'targets[].parameters[].key', required: true, description: 'Header name, query parameter name or body key.' },
  { key: 'targets[].parameters[].value', required: true, description: 'The value (string, number or boolean).' },
  { key: 'targets[].timeout', default: '5s', description: 'Timeout of one delivery attempt.' },
  { key: 'targets[].retry', description: 'Retry policy of this target.' },
  { key: 'targets[].retry.schedule', default: 'delivery.schedule', description: 'A preset name or a list of durations (see delivery.schedule).' },
  { key: 'targets[].retry.maxAttempts', default: 'the length of the schedule', description: 'Cap (or extension, repeating the last delay) of the attempts.' },
  { key: 'targets[].rateLimit', description: 'Requests per second sent to this target, optional (no limit).' },
  { key: 'targets[].signingSecret', description: 'Standard Webhooks secret (whsec_...); when set, requests carry webhook-id/-timestamp/-signature headers.' },
  { key: 'targets[].tls', description: 'TLS settings; https URLs only.' },
  { key: 'targets[].tls.ca', description: 'PEM file of the CA to trust, relative to the config file.' },
  { key: 'targets[].tls.insecure', default: 'false', description: '`true` skips certificate verification (test receivers only).' },
  { key: 'wiring', default: '[]', description: 'Which checks notify which targets. A check goes to every target of every rule it matches.' },
  { key: 'wiring[].targets', required: true, description: 'Target ids this rule notifies.' },
  {
    key: 'wiring[].checks',
    description: 'Check ids. A check matches a rule when it meets every selector given (checks, severities, categories); a rule with no selector matches nothing.',
  },
  { key: 'wiring[].severities', description: 'Severities: critical, high, medium, low.' },
  { key: 'wiring[].categories', description: 'Categories: threat, posture.' },
];

/** Keys allowed directly under a generic parent path ("targets[]" -> id, name, ...). */
export function childKeysOf(genericParentPath: string): string[] {
  const prefix = genericParentPath === '' ? '' : `${genericParentPath}.`;
  return CONFIG_KEYS.map((doc) => doc.key)
    .filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('.') && !key.slice(prefix.length).includes('['))
    .map((key) => key.slice(prefix.length));
}
