/** Walking json-rules-engine condition trees (all / any / not / condition references). */
export interface LeafCondition {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
  priority?: number;
  factResult?: unknown;
  result?: boolean;
}

export function visitLeaves(node: unknown, pointer: string, visit: (leaf: LeafCondition, pointer: string) => void): void {
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  for (const key of ['all', 'any'] as const) {
    const children = record[key];
    if (Array.isArray(children)) children.forEach((child, index) => visitLeaves(child, `${pointer}/${key}/${index}`, visit));
  }
  if (record.not !== undefined) visitLeaves(record.not, `${pointer}/not`, visit);
  if (typeof record.fact === 'string') visit(record as unknown as LeafCondition, pointer);
}
