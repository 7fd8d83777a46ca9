/** Shared shapes of the record readers (re-exported by records.ts). */

export interface RecordError {
  /** the path given by the caller; '-' for stdin */
  source: string;
  /** 1-based line where the record starts; 0 when the source could not be opened */
  line: number;
  /** dotted path of the offending field, when the error is about one field */
  field?: string;
  message: string;
}

export type RecordItem =
  | {
      ok: true;
      source: string;
      line: number;
      value: unknown;
      /** where the record's bytes sit in the source (for reading a file backwards) */
      offset?: number;
      length?: number;
    }
  | { ok: false; error: RecordError };

export interface ReadRecordsOptions {
  /** longest record accepted, in bytes (default 1 MiB); longer ones are skipped with an error */
  maxRecordBytes?: number;
  /**
   * 'auto' (default): a first non-blank byte '[' means a JSON array; an object holding the
   * records in a known member (Graph's `value`, Event Hub's `records`, Duo's
   * `response.authlogs`) is read as that array; pretty-printed objects one after another
   * (`jq '.[]'`) are read as such; anything else is NDJSON
   */
  format?: 'auto' | 'ndjson' | 'json-array';
  /** told how the source holds its records, once that is known */
  onLayout?(layout: RecordLayout): void;
}

export type RecordLayout = { kind: 'ndjson' } | { kind: 'json-array' } | { kind: 'concatenated' } | { kind: 'wrapper'; path: string };

/**
 * A format parser is fed the bytes of one source chunk by chunk and hands back the
 * items each chunk completed. Push-based, so one driver loop serves both formats and
 * knows the current line when the source itself fails mid-way.
 */
export interface RecordParser {
  push(chunk: Buffer): RecordItem[];
  /** the source ended: flush the last record, report anything left open */
  end(): RecordItem[];
  /** the line the parser has reached (1-based) */
  readonly line: number;
}
