import type { MappingRow, MappingTable } from './adapter-types.js';
import {
  EVENT_RULES,
  FACTOR_VALUES,
  IGNORED_EVENT_TYPES,
  OUTCOME_RESULTS,
  PUSH_RESPONSES,
  RISK_LEVELS,
  UNLISTED_FACTOR,
  mfaAction,
  type EventRule,
  type ValueRow,
} from './okta-tables.js';

/** The README's tables for the Okta adapter, built from the same constants its lookups use. */

const DEBUG = 'debugContext.debugData';

const FIELDS: MappingRow[] = [
  { source: 'uuid', target: 'id', note: 'suffixed #1, #2, ... when one privilege grant names several roles' },
  { source: 'published', target: 'time' },
  { source: '(every record)', target: 'provider = OKTA' },
  { source: 'eventType', target: 'type, action', note: 'see "eventType"' },
  { source: 'actor.alternateId / .id / .displayName', target: 'user.login / .id / .displayName', note: 'sign-in, MFA and risk events: the actor is the user' },
  { source: 'target[] type User', target: 'user.login / .id / .displayName', note: 'directory, role, group, impersonation and user.risk.detect events' },
  { source: 'actor.alternateId', target: 'actor.login', note: 'directory, role, group and impersonation events: who made the change' },
  { source: 'target[] type AppInstance .displayName', target: 'login.application' },
  { source: 'target[] type UserGroup .displayName', target: 'role', note: 'group.user_membership.*' },
  { source: 'outcome.result', target: 'login.result', note: 'see "outcome.result"' },
  { source: 'outcome.reason', target: 'login.reason', note: 'as is (INVALID_CREDENTIALS, LOCKED_OUT, ...)' },
  { source: 'client.ipAddress', target: 'login.ip' },
  { source: 'client.geographicalContext.country', target: 'login.geo.country', note: 'full name ("United States") -> ISO alpha-2; a name not recognised is left out' },
  { source: 'client.geographicalContext.city', target: 'login.geo.city' },
  { source: 'client.geographicalContext.geolocation.lat / .lon', target: 'login.geo.lat / .lon' },
  { source: 'client.userAgent.rawUserAgent', target: 'login.userAgent, login.browser', note: 'browser as "Name Major" ("Chrome 131"); client.userAgent.browser has no version' },
  { source: 'securityContext.isProxy', target: 'login.anonymizer', note: 'true = anonymizing proxy (ip-threat-detected fires on a success)' },
  { source: 'securityContext.asNumber', target: 'login.asn' },
  { source: 'securityContext.asOrg', target: 'login.asOrg', note: 'kept; no check reads it' },
  { source: 'authenticationContext.externalSessionId', target: 'login.sessionId', note: '"unknown" (no session yet) is left out' },
  { source: `${DEBUG}.deviceFingerprint`, target: 'login.deviceId', note: 'else device.id (the Identity Engine device)' },
  { source: `${DEBUG}.factor`, target: 'login.factor', note: 'see "factor"' },
  { source: `${DEBUG}.pushOnlyResponseType`, target: 'login.result of a push', note: 'see "outcome.result"' },
  { source: `${DEBUG}.risk`, target: 'login.risk', note: 'the level= of "{reasons=..., level=HIGH}"; else risk.level of logOnlySecurityData (JSON)' },
  { source: `${DEBUG}.privilegeGranted / .privilegeRevoked`, target: 'role', note: 'one event per comma-separated role; "(scope)" dropped' },
  { source: 'sigfire.user', target: 'user.*', note: '(generated files only) directory state Okta logs no field for: roles, factors, mfaEnabled, ...' },
];

function valueRows<T>(rows: readonly ValueRow<T>[], source: (okta: string) => string, target: (value: T) => string): MappingRow[] {
  return rows.map((row) => ({ source: source(row.okta), target: target(row.sigfire), ...(row.note ? { note: row.note } : {}) }));
}

const RESULTS: MappingRow[] = [
  ...valueRows(OUTCOME_RESULTS, (okta) => `outcome.result = ${okta}`, (result) => `login.result = ${result}`),
  ...valueRows(PUSH_RESPONSES, (okta) => `push not SUCCESS, pushOnlyResponseType = ${okta}`, (result) => `login.result = ${result}`),
  { source: 'push, outcome.result = FAILURE, no pushOnlyResponseType', target: 'login.result = DENIED', note: 'Okta logs a rejected push as FAILURE / INVALID_CREDENTIALS' },
  { source: 'any other outcome.result', target: '(error: outcome.result)' },
];

const FACTORS: MappingRow[] = [
  ...valueRows(FACTOR_VALUES, (okta) => `factor = ${okta}`, (factor) => `login.factor = ${factor}`),
  { source: 'user.authentication.sso', target: 'login.factor = sso' },
  { source: 'user.mfa.okta_verify.deny_push', target: 'login.factor = push' },
  { source: 'any other factor value', target: `login.factor = ${UNLISTED_FACTOR}` },
];

const RISKS: MappingRow[] = [
  ...valueRows(RISK_LEVELS, (okta) => `risk level=${okta}`, (risk) => `login.risk = ${risk}`),
  { source: 'any other level', target: `(error: ${DEBUG}.risk)` },
];

const MFA_ACTIONS: MappingRow[] = (
  [
    ['push', 'SUCCESS'],
    ['push', 'DENIED'],
    ['push', 'TIMEOUT'],
    ['totp', 'SUCCESS'],
    ['totp', 'FAILURE'],
    ['webauthn', 'SUCCESS'],
    ['bypass_code', 'SUCCESS'],
    ['sms', 'FAILURE'],
  ] as const
).map(([factor, result]) => ({ source: `factor ${factor}, result ${result}`, target: `action = ${mfaAction(factor, result)}` }));

function describeRule(rule: EventRule): string {
  switch (rule.kind) {
    case 'signIn':
      return rule.factor ? `type login, factor ${rule.factor}` : 'type login';
    case 'mfa':
      return ['type mfa', rule.factor && `factor ${rule.factor}`, rule.result && `result ${rule.result}`].filter(Boolean).join(', ');
    case 'risk':
      return `type risk, action ${rule.action}${rule.risk ? `, risk ${rule.risk}` : ''}`;
    case 'session':
      return `type session, action ${rule.action}`;
    case 'directory':
      return `type user, action ${rule.action}${rule.status ? `, user.status ${rule.status}` : ''}`;
    case 'privilege':
      return `type user, action ${rule.action}, role = ${DEBUG}.${rule.field}`;
    case 'group':
      return `type user, action ${rule.action}, role = the group`;
  }
}

const EVENT_TYPES: MappingRow[] = [
  ...Object.entries(EVENT_RULES).map(([eventType, rule]) => ({
    source: eventType,
    target: describeRule(rule),
    ...(rule.note ? { note: rule.note } : {}),
  })),
  ...Object.entries(IGNORED_EVENT_TYPES).map(([eventType, why]) => ({ source: eventType, target: '(ignored)', note: why })),
  { source: 'any other eventType', target: '(ignored)', note: 'admin housekeeping: nothing a check reads' },
];

export const OKTA_MAPPING: MappingTable[] = [
  { title: 'Okta System Log fields', rows: FIELDS },
  { title: 'eventType', rows: EVENT_TYPES },
  { title: 'outcome.result', rows: RESULTS },
  { title: 'factor (debugContext.debugData.factor, case-insensitive)', rows: FACTORS },
  { title: 'MFA action (from factor and result)', rows: MFA_ACTIONS },
  { title: 'risk (debugContext.debugData.risk)', rows: RISKS },
];
