import type { IdentityEvent } from '../schema.js';

/** The record formats `sigfire replay` reads (`--format`). */
export const SOURCE_FORMATS = ['sigfire', 'okta', 'entra', 'duo'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** A JSON object as it came out of the export. */
export type RawRecord = Record<string, unknown>;

/**
 * What one export record becomes:
 * - `events`: candidate sigfire events, usually one (the replay still validates each against
 *   the event schema); a record may carry more than one thing that happened;
 * - `ignored`: a well-formed record that carries nothing a check can use (admin housekeeping);
 *   counted, never an error;
 * - `error`: a malformed record; `field` is the path in the SOURCE record ("outcome.result").
 */
export type AdaptResult =
  | { kind: 'events'; events: Record<string, unknown>[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'error'; field?: string; message: string };

/** One row of an adapter's mapping table, shown in the README. */
export interface MappingRow {
  /** the source field or value, e.g. "client.ipAddress" or "outcome.result = DENY" */
  source: string;
  /** the sigfire field or value, e.g. "login.ip" or "login.result = DENIED" */
  target: string;
  note?: string;
}

export interface MappingTable {
  title: string;
  rows: MappingRow[];
}

/** One identity provider's export shape, mapped to sigfire's event. One module per provider. */
export interface SourceAdapter {
  format: SourceFormat;
  /** "Okta System Log" */
  name: string;
  /** what a record of this format has, for the "unrecognised file" message: "published, eventType, actor" */
  expects: string;
  /** True when a record has this format's shape (used to detect a file's format from its first record). */
  recognizes(record: RawRecord): boolean;
  adapt(record: RawRecord): AdaptResult;
  /** the mapping tables shown in the README, in order */
  mapping: MappingTable[];
}

/** The inverse of an adapter: writes a sigfire event in the provider's export shape (`generate --format`). */
export interface VendorEncoder {
  format: Exclude<SourceFormat, 'sigfire'>;
  encode(event: IdentityEvent): RawRecord;
}
