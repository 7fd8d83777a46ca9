import type { MappingRow, MappingTable } from './adapter-types.js';
import {
  ADMIN_ACTIONS,
  ANONYMOUS_IP_REASON,
  AUTHENTICATION,
  DUO_BROWSER_NAMES,
  DUO_FACTOR_PATTERNS,
  DUO_FACTORS,
  DUO_RESULTS,
  DUO_USER_STATUSES,
  ENCODED_RISK,
  ENROLLMENT,
  IGNORED_FACTORS,
  MFA_ACTION_PREFIX,
  MFA_EVENT_SUFFIX,
  MFA_ACTION_VERB,
  MFA_ACTION_VERB_OVERRIDES,
  PRIMARY_AUTHENTICATION,
  REASON_USER_STATE,
  SECOND_FACTOR_ONLY,
  TIMEOUT_REASONS,
  TRUST_ASSESSMENT_RISK,
} from './duo-tables.js';
import { GENERATED_USER_STATE_KEYS } from './record-fields.js';

/** The README's tables for the Duo adapter, built from the constants the adapter and encoder use. */
export const DUO_MAPPING: MappingTable[] = [
  {
    title: 'Duo authentication log (Admin API v2 `authlogs`): fields',
    rows: [
      { source: 'txid', target: 'id' },
      { source: 'isotimestamp (else timestamp, Unix seconds)', target: 'time' },
      { source: '—', target: 'provider = DUO' },
      { source: 'user.name', target: 'user.login', note: 'always the Duo username: Duo fills email in some records of a user and not in others, and the administrator log names users by username. Cross-provider checks see one person only when the Duo usernames match the IdP logins (Duo usernames are often the UPN or email)' },
      { source: 'email', target: 'user.email' },
      { source: 'user.key', target: 'user.id' },
      { source: 'application.name', target: 'login.application' },
      { source: 'access_device.ip', target: 'login.ip', note: 'a trailing :port is dropped ("203.0.113.7:443", "[2001:db8::7]:443"); so are the brackets of "[2001:db8::7]"' },
      { source: 'access_device.location.country', target: 'login.geo.country', note: 'Duo prints the name ("United States"); mapped to ISO alpha-2' },
      { source: 'access_device.location.city', target: 'login.geo.city' },
      { source: 'access_device.location.city + country + state', target: 'login.geo.lat, login.geo.lon', note: 'Duo gives no coordinates: looked up in sigfire\'s gazetteer of major cities; a city not in it gets none (no travel speed for that sign-in). US, Canadian and Australian rows carry their state: the state chooses between cities of one name (Portland, Oregon or Maine), and a state that matches no row, or a repeated name without a state, gives none' },
      { source: 'access_device.browser + browser_version', target: 'login.browser', note: `"Chrome" + "131.0.6778.86" -> "Chrome 131"; ${Object.entries(DUO_BROWSER_NAMES).map(([duo, name]) => `${duo} -> ${name}`).join(', ')}` },
      { source: 'access_device.epkey', target: 'login.deviceId' },
      { source: 'trusted_session_info.trusted_session_uuid', target: 'login.sessionId' },
      { source: 'reason', target: 'login.reason', note: 'as Duo writes it (user_approved, locked_out, ...)' },
      { source: `reason = ${ANONYMOUS_IP_REASON}`, target: 'login.anonymizer = true' },
      { source: 'adaptive_trust_assessments', target: 'login.risk', note: 'see "risk"' },
      { source: 'access_device.os, os_version, auth_device, alias, user.groups', target: '(not mapped)', note: 'no sigfire field; auth_device is the phone that approved, not where the sign-in came from' },
      { source: 'access_device.user_agent (generated files only)', target: 'login.userAgent; login.browser from it', note: 'Duo records the parsed browser, not the raw user agent' },
      { source: `sigfire.user (generated files only)`, target: `user.{${GENERATED_USER_STATE_KEYS.join(', ')}}`, note: 'directory state Duo\'s log has no field for' },
    ],
  },
  {
    title: 'Duo event_type and factor -> event type',
    rows: [
      { source: `event_type = ${AUTHENTICATION}, a second factor (see "factors"), result success`, target: `two events: type = mfa, action = <factor>_<verb>, id = txid + "${MFA_EVENT_SUFFIX}"; and type = login, result SUCCESS, factor = the second factor, id = txid`, note: 'the approved second factor is the sign-in (as an Entra password + MFA sign-in): travel, country, IP, browser and count checks read login events' },
      { source: `event_type = ${AUTHENTICATION}, a second factor, any other result`, target: 'type = mfa, action = <factor>_<verb>', note: 'the password was right: a failed second factor is no login failure (Brute Force never counts it)' },
      { source: `event_type = ${AUTHENTICATION}, a second factor, result success, sigfire.${SECOND_FACTOR_ONLY} = true (generated files only)`, target: 'type = mfa only, id = txid', note: 'see the generated files\' conventions' },
      { source: `event_type = ${AUTHENTICATION}, no second factor (${Object.entries(DUO_FACTORS).filter(([, f]) => !f.secondFactor).map(([name]) => name).join(', ')})`, target: 'type = login', note: 'Duo recorded only the access decision after primary authentication' },
      { source: `event_type = ${ENROLLMENT}, result = success`, target: 'type = user, action = mfa_enrolled', note: 'other results are ignored' },
      { source: `event_type = ${PRIMARY_AUTHENTICATION} (generated files only)`, target: 'type = login', note: 'sigfire convention: Duo\'s log does not record primary authentication (a wrong password, or the IdP sign-in after the MFA challenge)' },
      { source: 'any other event_type', target: '(ignored)' },
      ...Object.entries(IGNORED_FACTORS).map(([factor, why]) => ({ source: `factor = ${factor}`, target: '(ignored)', note: why })),
    ],
  },
  {
    title: 'Duo factors',
    rows: [
      ...Object.entries(DUO_FACTORS).map(([name, rule]): MappingRow => ({
        source: name,
        target: `login.factor = ${rule.factor}${rule.secondFactor ? '' : ' (type login)'}`,
        ...(rule.note ? { note: rule.note } : {}),
      })),
      ...DUO_FACTOR_PATTERNS.map(([pattern, rule]) => ({ source: `name matching ${pattern}`, target: `login.factor = ${rule.factor}` })),
      { source: 'any other factor', target: 'login.factor = unknown (type mfa)' },
    ],
  },
  {
    title: 'Duo results',
    rows: [
      ...Object.entries(DUO_RESULTS).map(([duo, result]) => ({ source: `result = ${duo} (any case)`, target: `login.result = ${result}` })),
      { source: `reason = ${TIMEOUT_REASONS.join(' or ')} (result not success)`, target: 'login.result = TIMEOUT' },
      { source: 'any other result', target: 'login.result = UNKNOWN' },
    ],
  },
  {
    title: 'MFA actions (type mfa)',
    rows: [
      ...Object.entries(MFA_ACTION_VERB).map(([result, verb]) => ({ source: `login.result = ${result}`, target: `action = <factor>_${verb}` })),
      ...Object.entries(MFA_ACTION_VERB_OVERRIDES).flatMap(([factor, verbs]) =>
        Object.entries(verbs).map(([result, verb]) => ({ source: `factor ${factor}, login.result = ${result}`, target: `action = ${MFA_ACTION_PREFIX[factor as keyof typeof MFA_ACTION_PREFIX]}_${verb}` })),
      ),
      { source: 'factor password, sso, none, unknown', target: 'action = mfa_<verb>' },
    ],
  },
  {
    title: 'Risk (Duo Risk-Based Authentication)',
    rows: [
      ...TRUST_ASSESSMENT_RISK.map(({ assessment, trustLevel, risk, enforcedOnly }): MappingRow => ({
        source: `adaptive_trust_assessments.${assessment}.trust_level = ${trustLevel}${enforcedOnly ? ` and ${assessment}.policy_enabled = true` : ''}`,
        target: `login.risk = ${risk}`,
        ...(enforcedOnly ? { note: 'with policy_enabled false (preview mode) Duo logs a level but acted on nothing: not read' } : {}),
      })),
      { source: 'no LOW trust level that counts', target: 'login.risk absent (none)' },
      { source: '(encoder) login.risk = medium', target: `adaptive_trust_assessments.${ENCODED_RISK.medium}.trust_level = LOW`, note: 'Duo has two signals for sigfire\'s three levels: medium reads back as low. The encoder writes policy_enabled = true' },
    ],
  },
  {
    title: 'Reasons that tell the user\'s directory state',
    rows: Object.entries(REASON_USER_STATE).map(([reason, state]) => ({
      source: `reason = ${reason}`,
      target: Object.entries(state).map(([key, value]) => `user.${key} = ${String(value)}`).join(', '),
      ...(state.status ? { note: `on that sign-in's event; the replay's directory then carries it${state.status === 'SUSPENDED' ? ' (Login to a Disabled Account reads it)' : ''}` } : {}),
    })),
  },
  {
    title: 'Duo administrator log (user and administrator changes)',
    rows: [
      { source: 'action', target: 'action (below); type = user' },
      { source: 'object (user_ actions)', target: 'user.login', note: 'the Duo username, the authentication log\'s user.name' },
      { source: 'description.email, else object (admin_ actions)', target: 'user.login', note: 'a Duo administrator has no username; object is their display name' },
      { source: 'description.email', target: 'user.email' },
      { source: 'description.realname (users), description.name (administrators)', target: 'user.displayName' },
      { source: 'username (the administrator)', target: 'actor.login' },
      { source: 'isotimestamp (else timestamp)', target: 'time' },
      { source: '(no record id in Duo\'s log)', target: 'id = duo-admin-<hash of the record>', note: 'generated files carry the generated id in sigfire.id' },
      ...Object.entries(ADMIN_ACTIONS).map(([action, rule]): MappingRow => ({
        source: `action = ${action}`,
        target: `action = ${rule.action}`,
        ...(rule.note ? { note: rule.note } : {}),
      })),
      ...Object.entries(DUO_USER_STATUSES).map(([duo, state]) => ({
        source: `description.status = ${duo} (any case; user_ actions only)`,
        target: `user.status = ${state.status}${state.bypassMfa === undefined ? '' : `, user.bypassMfa = ${state.bypassMfa}`}`,
      })),
      { source: 'any other action', target: '(ignored: administrator housekeeping)' },
    ],
  },
  {
    title: 'Generated files (`sigfire generate --format duo`): conventions',
    rows: [
      { source: 'type login with a second factor, or reason INVALID_CREDENTIALS', target: `event_type = ${PRIMARY_AUTHENTICATION}`, note: 'Duo\'s log has no primary authentication record' },
      { source: 'type login, factor password / sso', target: 'event_type = authentication, factor not_available (reason allowed_by_policy) / remembered_device' },
      { source: 'type user: created, updated, status_changed, deleted', target: 'administrator log user_create, user_update, user_update {status}, user_delete' },
      { source: 'type user: role_assigned, role_removed', target: 'administrator log admin_create, admin_delete with description.role', note: 'Duo users have no roles; a Duo administrator role is the closest documented record' },
      { source: 'type user: mfa_enrolled', target: 'authentication log record with event_type enrollment' },
      { source: 'type user: other actions (mfa_removed, ...)', target: 'administrator log user_update', note: 'no Duo record says it: reads back as updated' },
      { source: 'type admin / session / risk', target: 'as user / login', note: 'Duo has no such records: read back as type user / login' },
      { source: 'type mfa with factor password, sso, none or email', target: 'factor not_available / remembered_device', note: 'not a second factor: reads back as type login' },
      { source: 'type mfa, a second factor, result SUCCESS', target: `event_type = ${AUTHENTICATION} with sigfire.${SECOND_FACTOR_ONLY} = true`, note: 'the generated sign-in is its own primary_authentication record: read back as the mfa event only, not mfa + login' },
      { source: 'login.reason USER_SUSPENDED', target: 'reason user_disabled', note: 'reads back with user.status = SUSPENDED, which the directory already carries' },
      { source: 'login.userAgent', target: 'access_device.user_agent' },
    ],
  },
];
