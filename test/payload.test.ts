import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/checks/finding.js';
import type { EnvelopeSettings, TargetConfig } from '../src/config/schema.js';
import { buildFailedCheckEnvelope, buildWebhookTestEnvelope, deterministicUuid, envelopeId } from '../src/notify/payload.js';

const settings: EnvelopeSettings = { source: 'sigfire.identity-intelligence', account: 'acme', region: 'eu-west-1' };

const target = (id: string): TargetConfig => ({
  id,
  name: `Target ${id}`,
  description: '',
  url: 'http://127.0.0.1:9/hook',
  enabled: true,
  auth: { type: 'none' },
  parameters: [],
  timeout: '5s',
  retry: { schedule: 'fast' },
});

const finding: Finding = {
  id: '3f1c0b7a9e2d4c5b8a7f6e5d4c3b2a19',
  checkId: 'impossible-travel',
  checkName: 'Impossible Travel',
  severity: 'high',
  category: 'threat',
  description: 'Two successful sign-ins too far apart for the time between them.\n\nThe second may come from a stolen session.',
  recommendedActions: ['Confirm with the user', 'Revoke active sessions'],
  mitre: ['T1078'],
  time: '2024-05-01T10:15:00Z',
  user: { login: 'ana@example.com', id: '00u1', displayName: 'Ana Lima', roles: ['admin'] },
  event: {
    id: 'evt-42',
    time: '2024-05-01T10:15:00Z',
    provider: 'OKTA',
    type: 'login',
    user: { login: 'ana@example.com' },
    login: {
      result: 'SUCCESS',
      factor: 'push',
      application: 'Salesforce',
      ip: '203.0.113.9',
      geo: { country: 'BR', city: 'São Paulo' },
      userAgent: 'Mozilla/5.0',
      sessionId: 'sess-9',
      deviceId: 'dev-1',
    },
  },
  why: [
    { fact: 'login', path: '$.result', operator: 'equal', expected: 'SUCCESS', actual: 'SUCCESS' },
    { fact: 'travelSpeed', path: '$.speedKmh', params: { key: 'user.login' }, operator: 'greaterThan', expected: 900, actual: 4210.5 },
    { fact: 'windowCount', operator: 'greaterThanInclusive', expected: 5, actual: 7 },
    { fact: 'previousLogin', path: 'geo', operator: 'notEqual', expected: null, actual: { country: 'US' } },
  ],
};

describe('buildFailedCheckEnvelope', () => {
  const envelope = buildFailedCheckEnvelope(finding, target('demo-xdr'), settings);

  it('has the CII envelope fields', () => {
    expect(Object.keys(envelope)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(envelope.version).toBe('0');
    expect(envelope['detail-type']).toBe('FAILED_CHECK');
    expect(envelope.source).toBe('sigfire.identity-intelligence');
    expect(envelope.account).toBe('acme');
    expect(envelope.region).toBe('eu-west-1');
    expect(envelope.time).toBe('2024-05-01T10:15:00Z');
    expect(envelope.resources).toEqual([]);
  });

  it('carries the check and the finding in detail', () => {
    const { detail } = envelope;
    expect(detail.id).toBe(finding.id);
    expect(detail.checkId).toBe('impossible-travel');
    expect(detail.title).toBe('Impossible Travel');
    expect(detail.severity).toBe('high');
    expect(detail.category).toBe('threat');
    expect(detail.description).toEqual(['Two successful sign-ins too far apart for the time between them.', 'The second may come from a stolen session.']);
    expect(detail.recommendedActions).toEqual(['Confirm with the user', 'Revoke active sessions']);
    expect(detail.mitre).toEqual(['T1078']);
    expect(detail.published).toBe('2024-05-01T10:15:00Z');
    expect(detail.usersFailing).toEqual([{ login: 'ana@example.com', displayName: 'Ana Lima', id: '00u1' }]);
  });

  it('lists the login facts and then the fired conditions as loginDetails', () => {
    expect(envelope.detail.loginDetails).toEqual([
      {
        login: 'ana@example.com',
        details: [
          { key: 'ip', value: '203.0.113.9' },
          { key: 'country', value: 'BR' },
          { key: 'city', value: 'São Paulo' },
          { key: 'application', value: 'Salesforce' },
          { key: 'factor', value: 'push' },
          { key: 'result', value: 'SUCCESS' },
          { key: 'userAgent', value: 'Mozilla/5.0' },
          { key: 'sessionId', value: 'sess-9' },
          { key: 'login.result', value: 'SUCCESS' },
          { key: 'travelSpeed.speedKmh', value: '4210.5' },
          { key: 'windowCount', value: '7' },
          { key: 'previousLogin.geo', value: '{"country":"US"}' },
        ],
      },
    ]);
  });

  it('leaves out login facts the event does not have, and falls back to the login for a missing name or id', () => {
    const userEvent: Finding = {
      ...finding,
      user: { login: 'svc-backup' },
      event: { id: 'evt-7', time: finding.time, provider: 'AZURE_AD', type: 'user', action: 'role_assigned', user: { login: 'svc-backup' } },
      why: [{ fact: 'event', path: '$.action', operator: 'equal', expected: 'role_assigned', actual: 'role_assigned' }],
    };
    const detail = buildFailedCheckEnvelope(userEvent, target('demo-xdr'), settings).detail;
    expect(detail.usersFailing).toEqual([{ login: 'svc-backup', displayName: 'svc-backup', id: 'svc-backup' }]);
    expect(detail.loginDetails).toEqual([{ login: 'svc-backup', details: [{ key: 'event.action', value: 'role_assigned' }] }]);
  });

  it('is deterministic: same finding and target, same envelope, byte for byte', () => {
    const again = buildFailedCheckEnvelope(structuredClone(finding), target('demo-xdr'), { ...settings });
    expect(JSON.stringify(again)).toBe(JSON.stringify(envelope));
  });

  it('has an id that is a UUID per (finding, target): the idempotency key', () => {
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(envelope.id).toBe(envelopeId(finding.id, 'demo-xdr'));
    expect(buildFailedCheckEnvelope(finding, target('demo-siem'), settings).id).not.toBe(envelope.id);
    expect(buildFailedCheckEnvelope({ ...finding, id: 'other' }, target('demo-xdr'), settings).id).not.toBe(envelope.id);
  });

  it('does not share arrays with the finding', () => {
    const copy = buildFailedCheckEnvelope(finding, target('demo-xdr'), settings);
    copy.detail.recommendedActions.push('mutated');
    expect(finding.recommendedActions).toEqual(['Confirm with the user', 'Revoke active sessions']);
  });
});

describe('deterministicUuid', () => {
  it('formats the first 16 bytes of SHA-256 with version 5 and the RFC 4122 variant', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223...
    expect(deterministicUuid('abc')).toBe('ba7816bf-8f01-5fea-8141-40de5dae2223');
  });
});

describe('buildWebhookTestEnvelope', () => {
  const now = new Date('2024-06-01T08:00:00.000Z');
  const envelope = buildWebhookTestEnvelope(target('demo-xdr'), settings, now);

  it('is the same envelope with detail-type WebhookTest and no user', () => {
    expect(envelope).toEqual({
      version: '0',
      id: envelope.id,
      'detail-type': 'WebhookTest',
      source: 'sigfire.identity-intelligence',
      account: 'acme',
      time: '2024-06-01T08:00:00.000Z',
      region: 'eu-west-1',
      resources: [],
      detail: {
        id: envelope.id,
        checkId: 'webhook-test',
        title: 'Webhook test',
        severity: 'low',
        category: 'posture',
        description: ['Test message from sigfire to the notification target "Target demo-xdr". No check failed.'],
        recommendedActions: [],
        mitre: [],
        published: '2024-06-01T08:00:00.000Z',
        usersFailing: [],
        loginDetails: [],
      },
    });
  });

  it('gets a new id per test and per target', () => {
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(buildWebhookTestEnvelope(target('demo-xdr'), settings, now).id).toBe(envelope.id);
    expect(buildWebhookTestEnvelope(target('demo-xdr'), settings, new Date(now.getTime() + 1)).id).not.toBe(envelope.id);
    expect(buildWebhookTestEnvelope(target('demo-siem'), settings, now).id).not.toBe(envelope.id);
  });
});
