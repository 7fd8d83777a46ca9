import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvents } from '../src/events/read-events.js';
import { validateEvent, type EventItem } from '../src/events/validate-event.js';

const BAD = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));
const fixture = (name: string) => join(BAD, name);

const tempDir = mkdtempSync(join(tmpdir(), 'sigfire-validate-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const validEvent = () => ({
  id: 'evt-1',
  time: '2026-11-02T09:15:00Z',
  provider: 'OKTA',
  type: 'login',
  user: { login: 'alice@acme.example' },
  login: { result: 'SUCCESS', ip: '198.51.100.7', geo: { country: 'US', city: 'Austin', lat: 30.27, lon: -97.74 }, factor: 'push' },
});

function failure(value: unknown): { field?: string; message: string } {
  const item = validateEvent(value, 'events.ndjson', 7);
  if (item.ok) throw new Error('expected a validation error');
  expect(item.error.source).toBe('events.ndjson');
  expect(item.error.line).toBe(7);
  const { field, message } = item.error;
  return field === undefined ? { message } : { field, message };
}

async function collect(sources: string[]): Promise<EventItem[]> {
  const all: EventItem[] = [];
  for await (const item of readEvents(sources)) all.push(item);
  return all;
}

/**
 * "file:line id" of good events and "file:line field: message" of errors, with short file
 * names, in line order (errors are reported as they are met, while the good events around
 * them may still be held for time ordering).
 */
function summary(items: EventItem[]): string[] {
  const short = (source: string) => source.replace(BAD, '');
  const lineOf = (item: EventItem) => (item.ok ? item.line : item.error.line);
  return [...items].sort((a, b) => lineOf(a) - lineOf(b)).map((item) =>
    item.ok
      ? `${short(item.source)}:${item.line} ${item.event.id}`
      : `${short(item.error.source)}:${item.error.line} ${item.error.field ? `${item.error.field}: ` : ''}${item.error.message}`,
  );
}

describe('validateEvent', () => {
  it('accepts a valid event and keeps unknown extra fields', () => {
    const value = { ...validEvent(), tenant: 'acme', user: { login: 'alice@acme.example', department: 'Finance' } };
    const item = validateEvent(value, 'events.ndjson', 3);
    expect(item).toEqual({ ok: true, event: value, timeMs: Date.parse(value.time), source: 'events.ndjson', line: 3 });
  });

  it('says "required" for a missing field', () => {
    const { time: _time, ...withoutTime } = validEvent();
    expect(failure(withoutTime)).toEqual({ field: 'time', message: 'required' });
  });

  it('lists the allowed values of an enum and the value given', () => {
    expect(failure({ ...validEvent(), login: { result: 'WIN' } })).toEqual({
      field: 'login.result',
      message: 'expected one of SUCCESS|FAILURE|DENIED|TIMEOUT|FRAUD|ERROR|UNKNOWN got "WIN"',
    });
    expect(failure({ ...validEvent(), provider: 'MYSPACE' })).toEqual({
      field: 'provider',
      message: 'expected one of OKTA|AZURE_AD|DUO|G_SUITE|PING|ONELOGIN|OTHER got "MYSPACE"',
    });
  });

  it('names a nested field with a dotted path', () => {
    expect(failure({ ...validEvent(), login: { geo: { country: 'usa' } } })).toEqual({
      field: 'login.geo.country',
      message: 'expected an ISO-3166 alpha-2 country code such as "US"',
    });
  });

  it('names array items by index', () => {
    expect(failure({ ...validEvent(), user: { login: 'a@acme.example', roles: ['admin', 7] } })).toEqual({
      field: 'user.roles.1',
      message: 'expected string, got number',
    });
  });

  it('describes a wrong type with the type received, null included', () => {
    expect(failure({ ...validEvent(), id: 42 })).toEqual({ field: 'id', message: 'expected string, got number' });
    expect(failure({ ...validEvent(), user: null })).toEqual({ field: 'user', message: 'expected object, got null' });
    expect(failure({ ...validEvent(), login: { geo: { lat: '30.27' } } })).toEqual({
      field: 'login.geo.lat',
      message: 'expected number, got string',
    });
  });

  it('reports an empty required string', () => {
    expect(failure({ ...validEvent(), id: '' })).toEqual({ field: 'id', message: 'must not be empty' });
  });

  it('reports impossible and zone-less timestamps with the schema message', () => {
    expect(failure({ ...validEvent(), time: '2024-02-30T10:00:00Z' })).toEqual({
      field: 'time',
      message: 'impossible timestamp: "2024-02-30T10:00:00Z"',
    });
    expect(failure({ ...validEvent(), time: 'yesterday' })).toEqual({
      field: 'time',
      message: 'not an ISO 8601 timestamp with a zone: "yesterday"',
    });
  });

  it('reports only the first problem', () => {
    const { time: _time, ...withoutTime } = validEvent();
    expect(failure({ ...withoutTime, provider: 'MYSPACE', type: 'logon' })).toEqual({ field: 'time', message: 'required' });
  });

  it('keeps the message to one short line whatever the value', () => {
    const { message } = failure({ ...validEvent(), provider: `X\n${'Y'.repeat(500)}` });
    expect(message).not.toMatch(/[\n\r]/);
    expect(message.length).toBeLessThan(150);
    expect(message).toMatch(/got "X\\nYYY.*\.\.\.$/);
  });

  it('reports a value that is not an object without a field', () => {
    expect(failure([1, 2])).toEqual({ message: 'expected object, got array' });
  });
});

describe('readEvents', () => {
  it('reports invalid timestamps and keeps the good events', async () => {
    expect(summary(await collect([fixture('invalid-timestamps.ndjson')]))).toEqual([
      'invalid-timestamps.ndjson:1 evt-1',
      'invalid-timestamps.ndjson:2 time: impossible timestamp: "2024-02-30T10:00:00Z"',
      'invalid-timestamps.ndjson:3 time: not an ISO 8601 timestamp with a zone: "yesterday"',
      'invalid-timestamps.ndjson:4 time: required',
      'invalid-timestamps.ndjson:5 time: not an ISO 8601 timestamp with a zone: "2026-11-02T09:19:00"',
      'invalid-timestamps.ndjson:6 time: expected string, got number',
      'invalid-timestamps.ndjson:7 evt-7',
    ]);
  });

  it('reports unknown enum values', async () => {
    expect(summary(await collect([fixture('unknown-enum.ndjson')]))).toEqual([
      'unknown-enum.ndjson:1 evt-1',
      'unknown-enum.ndjson:2 provider: expected one of OKTA|AZURE_AD|DUO|G_SUITE|PING|ONELOGIN|OTHER got "MYSPACE"',
      'unknown-enum.ndjson:3 login.result: expected one of SUCCESS|FAILURE|DENIED|TIMEOUT|FRAUD|ERROR|UNKNOWN got "WIN"',
      'unknown-enum.ndjson:4 type: expected one of login|mfa|user|admin|session|risk got "logon"',
      'unknown-enum.ndjson:5 evt-5',
      'unknown-enum.ndjson:6 user.type: expected one of INTERNAL|EXTERNAL|SERVICE_ACCOUNT|ADMIN|GUEST|UNKNOWN got "ROBOT"',
    ]);
  });

  it('reports wrong field types after the record-level errors', async () => {
    expect(summary(await collect([fixture('wrong-types.ndjson')]))).toEqual([
      'wrong-types.ndjson:1 evt-1',
      'wrong-types.ndjson:2 expected a JSON object, got number',
      'wrong-types.ndjson:3 expected a JSON object, got string',
      'wrong-types.ndjson:4 expected a JSON object, got array',
      'wrong-types.ndjson:5 expected a JSON object, got null',
      'wrong-types.ndjson:6 id: expected string, got number',
      'wrong-types.ndjson:7 user.login: expected string, got array',
      'wrong-types.ndjson:8 login.geo.lat: expected number, got string',
      'wrong-types.ndjson:9 evt-9',
    ]);
  });

  it('mixes parse errors and validation errors in line order', async () => {
    const lines = summary(await collect([fixture('mixed.ndjson')]));
    expect(lines.filter((line) => / evt-\d+$/.test(line))).toEqual([
      'mixed.ndjson:1 evt-1',
      'mixed.ndjson:3 evt-3',
      'mixed.ndjson:6 evt-6',
      'mixed.ndjson:9 evt-9',
      'mixed.ndjson:13 evt-13',
    ]);
    expect(lines).toContain('mixed.ndjson:5 login.geo.country: expected an ISO-3166 alpha-2 country code such as "US"');
    expect(lines).toContain('mixed.ndjson:7 user.login: required');
    expect(lines.map((line) => Number(/:(\d+) /.exec(line)![1]))).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('keeps the extra fields of a valid event', async () => {
    const items = await collect([fixture('mixed.ndjson')]);
    const evt9 = items.find((item) => item.ok && item.event.id === 'evt-9');
    expect(evt9).toMatchObject({ ok: true, event: { tenant: 'acme' } });
  });

  it('reads every event of a BOM + CRLF export', async () => {
    expect(summary(await collect([fixture('bom-crlf.ndjson')]))).toEqual([
      'bom-crlf.ndjson:1 evt-1',
      'bom-crlf.ndjson:2 evt-2',
      'bom-crlf.ndjson:4 evt-4',
    ]);
  });

  it('reads every source and goes on after one that cannot be read', async () => {
    const missing = join(tempDir, 'missing.ndjson');
    const second = join(tempDir, 'second.json');
    writeFileSync(second, `[${JSON.stringify({ ...validEvent(), id: 'evt-second' })}]`);
    const items = await collect([fixture('bom-crlf.ndjson'), missing, fixture('empty.ndjson'), second, fixture('truncated.json')]);
    expect(summary(items).sort()).toEqual([
      'bom-crlf.ndjson:1 evt-1',
      'bom-crlf.ndjson:2 evt-2',
      'bom-crlf.ndjson:4 evt-4',
      `${missing}:0 cannot read file: ENOENT: no such file or directory, open '${missing}'`,
      `${second}:1 evt-second`,
      'truncated.json:2 evt-1',
      'truncated.json:3 evt-2',
      'truncated.json:6 truncated: the file ends inside this array element',
    ].sort());
  });
});
