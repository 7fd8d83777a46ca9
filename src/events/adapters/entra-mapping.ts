import type { MappingRow, MappingTable } from './adapter-types.js';
import {
  ACCOUNT_ENABLED,
  ANONYMIZER_RISK_EVENTS,
  AUDIT_ACTIVITIES,
  AUDIT_CATEGORY,
  CLAIM_METHODS,
  CONFIRMED_COMPROMISED,
  ENTRA_BROWSER_NAMES,
  EXPIRED_TOKEN_CODES,
  IGNORED_AUDIT_ACTIVITIES,
  INTERRUPT_CODES,
  METHOD_FACTORS,
  MFA_FAILURE_CODES,
  MFA_EVENT_SUFFIX,
  MFA_FAILURE_DEFAULT,
  MFA_OUTCOMES,
  MFA_VERBS,
  MFA_VERB_OVERRIDES,
  MODIFIED_USER_FIELDS,
  NON_INTERACTIVE_ACTION,
  NON_INTERACTIVE_CATEGORY,
  NON_INTERACTIVE_EVENT_TYPE,
  NON_USER_SIGN_INS,
  OTHER_CODE_RESULT,
  RISK_LEVELS_READ,
  ROLE_NAME,
  SIGN_IN_CATEGORIES,
  SIGN_IN_CODES,
  UNKNOWN_METHOD_FACTOR,
  UNKNOWN_MFA_PREFIX,
  USER_TYPE,
  USER_TYPES_READ,
} from './entra-tables.js';
import { GENERATED_USER_STATE_KEYS } from './record-fields.js';

/** The README's tables for the Entra adapter, built from the constants the code reads. */

const credentialCodes = SIGN_IN_CODES.filter((row) => row.credential).map((row) => row.code);

const records: MappingTable = {
  title: 'Records',
  rows: [
    { source: `Graph signIn, or diagnostic category ${SIGN_IN_CATEGORIES.join(' / ')} (its properties)`, target: 'type = login', note: 'one event per record, unless a row below says otherwise' },
    {
      source: `a non-interactive sign-in: diagnostic category ${NON_INTERACTIVE_CATEGORY}, isInteractive = false, or signInEventTypes only ${NON_INTERACTIVE_EVENT_TYPE}`,
      target: `type = session, action = ${NON_INTERACTIVE_ACTION}, no login.sessionId`,
      note: 'a client redeeming a token: thousands a day per user, one sessionId shared by every app of a device, so neither a login nor a session to compare IPs in',
    },
    {
      source: `a non-interactive sign-in with a credential failure: status.errorCode ${credentialCodes.join(', ')}`,
      target: 'type = login (login.result from "Sign-in results")',
      note: 'a password was tried and rejected (legacy-protocol password spray shows up here)',
    },
    { source: `status.errorCode ${MFA_FAILURE_CODES.map((row) => row.code).join(', ')}`, target: 'type = mfa', note: 'the MFA step failed: an mfa event only (the password was right, so no login failure)' },
    {
      source: `status.errorCode 0, an MFA step performed (not "${CLAIM_METHODS.join('" / "')}", not "satisfied by claim") and the first factor satisfied by a token claim`,
      target: 'type = mfa',
      note: 'a record about the MFA challenge alone (how `generate --format entra` writes mfa events)',
    },
    {
      source: 'status.errorCode 0, the first factor and an MFA step both performed in the record',
      target: `two events: type = mfa (id + "${MFA_EVENT_SUFFIX}") and type = login (id)`,
      note: 'so the approval is seen by MFA checks and the sign-in by login checks',
    },
    { source: `status.errorCode ${INTERRUPT_CODES.map((row) => row.code).join(', ')}`, target: 'ignored', note: 'interrupts: the outcome is in a later record of the same correlationId' },
    { source: `status.errorCode ${EXPIRED_TOKEN_CODES.map((row) => row.code).join(', ')}`, target: 'ignored', note: 'an expired or revoked token or session: the client must sign in again, in a record of its own; no credential was judged' },
    { source: `signInEventTypes contains ${NON_USER_SIGN_INS.join(' or ')}`, target: 'ignored', note: 'no user behind the sign-in' },
    { source: `Graph directoryAudit, or diagnostic category ${AUDIT_CATEGORY} (its properties)`, target: 'type = user', note: 'the activities in "Directory changes"; other activities and failed ones are ignored' },
    { source: 'any other diagnostic category', target: 'ignored' },
    { source: 'a Graph v1.0 signIn (no authenticationDetails: they are in beta only)', target: 'type = login, no login.factor', note: 'never an mfa event: only /beta/auditLogs/signIns and diagnostic records say how the user authenticated' },
  ],
};

const fields: MappingTable = {
  title: 'Sign-in fields (diagnostic records: under properties)',
  rows: [
    { source: 'id', target: 'id' },
    { source: 'time (diagnostic), else createdDateTime', target: 'time', note: 'a diagnostic time the schema rejects (no zone: "2025-03-11T07:58:03") falls back to createdDateTime' },
    { source: '(constant)', target: 'provider = AZURE_AD' },
    { source: 'userPrincipalName', target: 'user.login' },
    { source: 'userId / userDisplayName', target: 'user.id / user.displayName' },
    { source: 'userType', target: 'user.type', note: Object.entries(USER_TYPES_READ).map(([from, to]) => `${from} -> ${to}`).join(', ') },
    { source: 'status.errorCode, else (diagnostic) resultType', target: 'login.result, login.reason, user.status', note: 'see "Sign-in results"' },
    { source: 'authenticationDetails[]', target: 'login.factor, mfa events', note: 'see "Authentication methods" and "Records"' },
    { source: 'appDisplayName, else resourceDisplayName', target: 'login.application' },
    { source: 'ipAddress, else callerIpAddress', target: 'login.ip' },
    { source: 'location.countryOrRegion', target: 'login.geo.country', note: 'already ISO alpha-2; a value that is no ISO country ("EU") is left out, the rest of the record kept' },
    { source: 'location.city', target: 'login.geo.city' },
    { source: 'location.geoCoordinates.latitude / longitude', target: 'login.geo.lat / lon' },
    { source: 'autonomousSystemNumber', target: 'login.asn' },
    { source: 'userAgent', target: 'login.userAgent' },
    {
      source: 'userAgent, else deviceDetail.browser',
      target: 'login.browser ("Name Major")',
      note: `the user agent is parsed as for every vendor; deviceDetail.browser "Chrome 131.0.0" -> "Chrome 131", ${Object.entries(ENTRA_BROWSER_NAMES).map(([from, to]) => `"${from.toUpperCase()}" -> "${to}"`).join(', ')}`,
    },
    { source: 'deviceDetail.deviceId', target: 'login.deviceId' },
    { source: 'sessionId', target: 'login.sessionId', note: 'interactive sign-ins only (see "Records")' },
    { source: 'riskLevelDuringSignIn, riskState', target: 'login.risk, login.riskState', note: 'see "Risk"' },
    { source: 'riskEventTypes_v2 + riskEventTypes', target: 'login.riskEventTypes, login.anonymizer' },
    { source: 'clientAppUsed', target: 'login.clientApp' },
    { source: 'correlationId', target: 'login.correlationId' },
    { source: `isInteractive (${NON_INTERACTIVE_CATEGORY}: false), else signInEventTypes`, target: 'login.interactive' },
  ],
};

const results: MappingTable = {
  title: 'Sign-in results (status.errorCode)',
  rows: [
    ...SIGN_IN_CODES.map((row) => ({
      source: `${row.code} (${row.meaning})`,
      target: [`login.result = ${row.result}`, row.reason && `login.reason = ${row.reason}`, row.status && `user.status = ${row.status}`].filter(Boolean).join(', '),
      note: [row.credential && 'credential failure: a login even when non-interactive', row.note].filter(Boolean).join('; ') || undefined,
    })),
    ...MFA_FAILURE_CODES.map((row) => ({ source: `${row.code} (${row.meaning})`, target: 'type = mfa, login.result from "MFA step outcomes"' })),
    ...INTERRUPT_CODES.map((row) => ({ source: `${row.code} (${row.meaning})`, target: 'ignored (interrupt)' })),
    ...EXPIRED_TOKEN_CODES.map((row) => ({ source: `${row.code} (${row.meaning})`, target: 'ignored (expired token or session)' })),
    {
      source: 'any other code',
      target: `login.result = ${OTHER_CODE_RESULT}, login.reason = "AADSTS<code>: <failureReason>"`,
      note: 'not FAILURE: most codes are about tokens, devices, consent or configuration, and would fire Brute Force and Password Spray with no password tried',
    },
  ],
};

const mfaOutcomes: MappingTable = {
  title: 'MFA step outcomes',
  rows: [
    { source: 'MFA step succeeded (not satisfied by a token claim)', target: 'login.result = SUCCESS' },
    ...MFA_OUTCOMES.map((row) => ({
      source: `failed: authenticationStepResultDetail, else status.additionalDetails, matching /${row.pattern.source}/i`,
      target: `login.result = ${row.result}`,
      note: `e.g. "${row.detail}"`,
    })),
    { source: 'failed, nothing above matches', target: `login.result = ${MFA_FAILURE_DEFAULT}` },
    { source: 'failed with no MFA step recorded, text mentions the mobile/phone app or Authenticator', target: 'login.factor = push' },
  ],
};

const methods: MappingTable = {
  title: 'Authentication methods (authenticationDetails[].authenticationMethod)',
  rows: [
    ...METHOD_FACTORS.map(([method, factor]): MappingRow => ({ source: method, target: `login.factor = ${factor}` })),
    { source: 'any other method', target: `login.factor = ${UNKNOWN_METHOD_FACTOR}` },
    { source: 'a login: the last succeeded MFA step (performed or satisfied by claim)', target: 'login.factor = its method', note: 'else the first-factor step; "sso" when that was satisfied by a token claim' },
  ],
};

const mfaActions: MappingTable = {
  title: 'MFA actions (type = mfa)',
  rows: [
    ...Object.entries(MFA_VERBS).map(([result, verb]) => ({ source: `login.result = ${result}`, target: `action = <factor>_${verb}` })),
    ...Object.entries(MFA_VERB_OVERRIDES).flatMap(([factor, verbs]) =>
      Object.entries(verbs).map(([result, verb]) => ({ source: `factor ${factor}, login.result = ${result}`, target: `action = ${factor}_${verb}` })),
    ),
    { source: 'factor unknown', target: `action = ${UNKNOWN_MFA_PREFIX}_<verb>` },
  ],
};

const risk: MappingTable = {
  title: 'Risk',
  rows: [
    ...Object.entries(RISK_LEVELS_READ).map(([level, mapped]) => ({
      source: `riskLevelDuringSignIn = ${level}`,
      target: mapped ? `login.risk = ${mapped}` : 'login.risk left out',
      note: level === 'hidden' ? 'the tenant has no Entra ID P2: risk is unknown, not none' : undefined,
    })),
    { source: 'riskLevelDuringSignIn = any other value', target: 'login.risk left out', note: 'the sign-in is kept' },
    { source: `riskState = ${CONFIRMED_COMPROMISED}`, target: 'login.risk = high', note: 'an administrator confirmed the compromise (Entra raises the risk to high); other states keep the level' },
    { source: `riskEventTypes_v2 / riskEventTypes contain ${ANONYMIZER_RISK_EVENTS.join(' or ')}`, target: 'login.anonymizer = true' },
  ],
};

const directory: MappingTable = {
  title: 'Directory changes (AuditLogs; diagnostic records: under properties)',
  rows: [
    ...AUDIT_ACTIVITIES.map((row) => ({
      source: `activityDisplayName = ${row.activity}`,
      target: `action = ${row.action}${row.status ? `, user.status = ${row.status}` : ''}`,
    })),
    ...Object.entries(IGNORED_AUDIT_ACTIVITIES).map(([activity, why]) => ({ source: `activityDisplayName = ${activity}`, target: 'ignored', note: why })),
    { source: 'result other than success', target: 'ignored', note: 'nothing changed' },
    {
      source: 'no target of type User (a ServicePrincipal or Group given a role, say)',
      target: 'ignored',
      note: 'no user to attribute it to: a role granted to a group is not seen by Admin Role Assigned',
    },
    { source: 'id / activityDateTime (diagnostic: time, falling back to activityDateTime as for sign-ins)', target: 'id / time' },
    { source: 'targetResources[type = User].userPrincipalName / id', target: 'user.login / user.id' },
    {
      source: 'a userPrincipalName that starts with the target id without dashes',
      target: 'user.login = the rest',
      note: 'Delete user writes the deleted UPN as <object id>alice@contoso.com',
    },
    { source: 'initiatedBy.user.userPrincipalName, else initiatedBy.app.displayName', target: 'actor.login' },
    { source: `modifiedProperties ${ROLE_NAME} (new value on grants, old value on revocations), else the Role target's displayName`, target: 'role' },
    { source: `modifiedProperties ${ACCOUNT_ENABLED} [true] / [false]`, target: 'user.status = ACTIVE / SUSPENDED' },
    { source: `modifiedProperties ${USER_TYPE}`, target: 'user.type', note: Object.entries(USER_TYPES_READ).map(([from, to]) => `${from} -> ${to}`).join(', ') },
    ...MODIFIED_USER_FIELDS.map(([property, field]) => ({ source: `modifiedProperties ${property}`, target: `user.${field}` })),
    { source: 'Add user: the record time', target: 'user.createdAt' },
    {
      source: `sigfire.user.{${GENERATED_USER_STATE_KEYS.join(', ')}}`,
      target: 'user.* (overlaid)',
      note: '(generated files only) directory state Entra has no field for, e.g. a new user\'s roles and MFA factors',
    },
  ],
};

const encoder: MappingTable = {
  title: 'Writing generated traffic (sigfire generate --format entra)',
  rows: [
    {
      source: 'type = login',
      target: 'SignInLogs record, isInteractive = true',
      note: 'a Password step (factor sso: "Previously satisfied"), then (for an MFA factor) the MFA method as an MFA step "satisfied by claim in the token"; sso logins are interactive so they read back as logins',
    },
    { source: 'type = mfa', target: 'SignInLogs record', note: 'first factor "Previously satisfied", the MFA method as the step performed: errorCode 0, or 500121 with the outcome text' },
    { source: 'login.result / login.reason of a login', target: 'status.errorCode', note: 'the first code of "Sign-in results" with that result and reason; results without one are written as 50000' },
    { source: 'login.risk none or absent', target: 'riskLevelDuringSignIn = none' },
    { source: 'login.anonymizer = true', target: 'riskEventTypes_v2 = [anonymizedIPAddress]' },
    { source: 'type = user / admin', target: 'AuditLogs record, activity by action', note: 'status_changed: Disable account (Enable account for ACTIVE)' },
    {
      source: 'action = mfa_removed (or another action with no activity above)',
      target: 'Update user, sigfire.user = the state it leaves',
      note: 'Entra only logs the removal of one method, which is ignored: read back as action = updated with mfaEnabled = false, factors = [] when the event said neither',
    },
    { source: 'type = session', target: `${NON_INTERACTIVE_CATEGORY} record, isInteractive = false`, note: `read back as type = session, action = ${NON_INTERACTIVE_ACTION}, without its sessionId` },
    { source: 'type = risk', target: 'SignInLogs record', note: 'read back as type = login' },
  ],
};

export const ENTRA_MAPPING: MappingTable[] = [records, fields, results, mfaOutcomes, methods, mfaActions, risk, directory, encoder];
