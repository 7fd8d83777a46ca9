import { isUtf8 } from 'node:buffer';
import type { RecordItem } from './record-types.js';

export const MIB = 1024 * 1024;

/** JSON's blank space: space, LF, CR, tab. */
export function isJsonWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** "1 MiB", "64 KiB", "300 bytes": the limit as a person would write it. */
export function describeByteLimit(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export function overLimitError(source: string, line: number, size: number, limit: number): RecordItem {
  return {
    ok: false,
    error: { source, line, message: `record is ${size} bytes, over the ${describeByteLimit(limit)} limit` },
  };
}

/** Control characters (from binary input, or an element spanning lines) would break a one-line report. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Turn the bytes of one record (a NDJSON line or a JSON array element) into an item:
 * UTF-8 check, JSON.parse, and "must be an object".
 */
export function parseRecordBytes(bytes: Buffer, source: string, line: number, offset?: number): RecordItem {
  if (!isUtf8(bytes)) return { ok: false, error: { source, line, message: 'not valid UTF-8 text' } };
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = text.includes('\u0000')
      ? 'not text: contains NUL bytes (binary data?)'
      : `invalid JSON: ${oneLine((err as Error).message)}`;
    return { ok: false, error: { source, line, message } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: { source, line, message: `expected a JSON object, got ${describeJsonType(value)}` } };
  }
  return offset === undefined ? { ok: true, source, line, value } : { ok: true, source, line, value, offset, length: bytes.length };
}
