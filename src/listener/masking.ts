const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie|password/i;
const SECRET_QUERY = /api[-_]?key|token|secret|password|signature|sig$/i;

/** Keeps the last 4 characters (and an auth scheme such as "Bearer") so a key can still be recognised. */
export function maskSecret(value: string): string {
  const scheme = /^(Basic|Bearer|Token|ApiKey) (.+)$/i.exec(value);
  if (scheme) return `${scheme[1]} ${maskSecret(scheme[2] ?? '')}`;
  return value.length <= 4 ? '****' : `****${value.slice(-4)}`;
}

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return maskMatching(headers, SECRET_HEADER);
}

export function maskQuery(query: Record<string, string>): Record<string, string> {
  return maskMatching(query, SECRET_QUERY);
}

function maskMatching(values: Record<string, string>, secretName: RegExp): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) masked[name] = secretName.test(name) ? maskSecret(value) : value;
  return masked;
}
