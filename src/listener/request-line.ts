export interface RequestLineFacts {
  method: string;
  path: string;
  status: number;
  detailType?: string;
  checkId?: string;
  envelopeId?: string;
  duplicate: boolean;
  reason?: string;
}

/** One compact line per request, e.g. `14:03:07.412 POST /hook 202 FAILED_CHECK mfa-flood 3f2a9c1d dup`. */
export function formatRequestLine(at: Date, facts: RequestLineFacts): string {
  const parts = [
    clockTime(at),
    facts.method,
    facts.path,
    String(facts.status),
    facts.detailType,
    facts.checkId,
    facts.envelopeId?.slice(0, 8),
    facts.duplicate ? 'dup' : undefined,
    facts.reason ? `(${facts.reason})` : undefined,
  ];
  return parts.filter((part) => part !== undefined && part !== '').join(' ');
}

function clockTime(at: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}
