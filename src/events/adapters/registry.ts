import type { SourceAdapter, SourceFormat } from './adapter-types.js';
import { sigfireAdapter } from './sigfire.js';

/** Every format `sigfire replay` reads, in the order detection tries them. */
export const ADAPTERS: readonly SourceAdapter[] = [sigfireAdapter];

export function adapterFor(format: SourceFormat): SourceAdapter | undefined {
  return ADAPTERS.find((adapter) => adapter.format === format);
}
