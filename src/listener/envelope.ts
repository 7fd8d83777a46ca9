/** The parts of a CII-style envelope that the listener reports on; anything missing stays undefined. */
export interface EnvelopeSummary {
  envelopeId?: string;
  detailType?: string;
  checkId?: string;
}

export function summarizeEnvelope(json: unknown): EnvelopeSummary {
  if (!isObject(json)) return {};
  const detail = isObject(json.detail) ? json.detail : {};
  return {
    envelopeId: typeof json.id === 'string' ? json.id : undefined,
    detailType: typeof json['detail-type'] === 'string' ? json['detail-type'] : undefined,
    checkId: typeof detail.checkId === 'string' ? detail.checkId : undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
