/** True for `application/json`, optionally with `charset=utf-8` (any case, quoted or not). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => /^charset="?utf-8"?$/.test(parameter));
}

/** True when an Accept header allows application/json (`application/json`, `application/*`, `*\/*`, q > 0). */
export function acceptsJson(accept: string): boolean {
  return accept.split(',').some((range) => {
    const [mediaType, ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    if (mediaType !== 'application/json' && mediaType !== 'application/*' && mediaType !== '*/*') return false;
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}
