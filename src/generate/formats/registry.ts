import type { VendorEncoder } from '../../events/adapters/adapter-types.js';
import { duoEncoder } from './duo.js';
import { entraEncoder } from './entra.js';
import { oktaEncoder } from './okta.js';

/** The provider shapes `sigfire generate --format` writes; each is the inverse of an export adapter. */
export const ENCODERS: readonly VendorEncoder[] = [oktaEncoder, entraEncoder, duoEncoder];

export const GENERATE_FORMATS = ['sigfire', ...ENCODERS.map((encoder) => encoder.format)] as const;

export function encoderFor(format: string): VendorEncoder | undefined {
  return ENCODERS.find((encoder) => encoder.format === format);
}
