import type { SourceAdapter, SourceFormat } from './adapter-types.js';
import { duoAdapter } from './duo.js';
import { entraAdapter } from './entra.js';
import { oktaAdapter } from './okta.js';
import { sigfireAdapter } from './sigfire.js';

/** Every format `sigfire replay` reads, in the order detection tries them. */
export const ADAPTERS: readonly SourceAdapter[] = [sigfireAdapter, oktaAdapter, entraAdapter, duoAdapter];

export function adapterFor(format: SourceFormat): SourceAdapter | undefined {
  return ADAPTERS.find((adapter) => adapter.format === format);
}
