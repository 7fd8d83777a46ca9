import type { FACTORS, LOGIN_RESULTS, RISK_LEVELS } from '../schema.js';
import type { AdaptResult } from './adapter-types.js';
import { countryCode } from './countries.js';
import {
  ANONYMIZER_RISK_EVENTS,
  CLAIM_DETAIL,
  CLAIM_METHODS,
  CONFIRMED_COMPROMISED,
  ENTRA_BROWSER_NAMES,
  INTERRUPT_CODES,
  MFA_FAILURE_CODES,
  MFA_FAILURE_DEFAULT,
  MFA_OUTCOMES,
  MFA_EVENT_SUFFIX,
  MFA_REQUIREMENT,
  NON_USER_SIGN_INS,
  OTHER_CODE_RESULT,
  RISK_LEVELS_READ,
  SIGN_IN_CODES,
  factorOfMethod,
  findCode,
  mfaAction,
  userTypeOf,
} from './entra-tables.js';
import { SourceFieldError, definedOnly, type FieldView } from './record-fields.js';
import { browserFromUserAgent } from './user-agent.js';

type Factor = (typeof FACTORS)[number];
type LoginResult = (typeof LOGIN_RESULTS)[number];
type Event = Record<string, unknown>;

/** What a diagnostic-settings record says around its `properties` (a Graph signIn has none of it). */
export interface SignInEnvelope {
  time?: string;
  /** where the time was looked for, for the error when there is none */
  timePath: string;
  /** resultType: the error code as a string */
  resultType?: string;
  callerIpAddress?: string;
  category?: string;
}

/** One authenticationDetails[] entry, read. */
interface Step {
  factor?: Factor;
  isMfa: boolean;
  /** satisfied by an earlier sign-in's token claim, not performed in this record */
  byClaim: boolean;
  succeeded?: boolean;
  detail?: string;
}

/**
 * A user sign-in (Graph signIn, or `properties` of a SignInLogs / NonInteractiveUserSignInLogs
 * record). The record is an `mfa` event when its outcome is its MFA step's: errorCode 500121, or
 * success with an MFA step performed in it while the first factor was satisfied by a token claim.
 * A success that performed both the first factor and the MFA step is two events: the mfa event
 * (id + ":mfa") and the login. Anything else is one `login` event.
 */
export function adaptSignIn(view: FieldView, envelope: SignInEnvelope): AdaptResult {
  const kinds = view.strings('signInEventTypes');
  const nonUser = kinds.find((kind) => NON_USER_SIGN_INS.includes(kind));
  if (nonUser) return { kind: 'ignored', reason: `${nonUser} sign-in: no user behind it` };

  const id = view.requiredString('id');
  const time = envelope.time ?? view.time('createdDateTime');
  if (time === undefined) throw new SourceFieldError(envelope.timePath, 'required');
  const login = view.requiredString('userPrincipalName');
  const code = errorCodeOf(view, envelope);
  const interrupt = findCode(INTERRUPT_CODES, code);
  if (interrupt) return { kind: 'ignored', reason: `errorCode ${code} (${interrupt.meaning}): an interrupt, the sign-in's outcome is in a later record` };

  const steps = readSteps(view);
  const known = findCode(SIGN_IN_CODES, code);
  const user = definedOnly({
    login,
    id: view.string('userId'),
    displayName: view.string('userDisplayName'),
    type: userTypeOf(view.string('userType')),
    status: known?.status,
  });
  const details = loginDetails(view, envelope);
  const event = (type: 'login' | 'mfa', eventId: string, outcome: Record<string, unknown>, action?: string): Event =>
    definedOnly({ id: eventId, time, provider: 'AZURE_AD', type, action, user: { ...user }, login: definedOnly({ ...outcome, ...details }) });
  const mfaEvent = (eventId: string, result: LoginResult, factor: Factor) => event('mfa', eventId, { result, factor }, mfaAction(factor, result));

  if (findCode(MFA_FAILURE_CODES, code)) {
    const failed = lastOf(steps, (step) => step.isMfa && step.succeeded === false) ?? lastOf(steps, (step) => step.isMfa);
    const result = failedMfaResult(failed, view);
    return { kind: 'events', events: [mfaEvent(id, result, failed?.factor ?? pushHint(view) ?? 'unknown')] };
  }

  const lastMfa = lastOf(steps, (step) => step.isMfa);
  const performedMfa = code === 0 && lastMfa?.succeeded === true && !lastMfa.byClaim ? lastMfa : undefined;
  const performedPrimary = steps.length === 0 || steps.some((step) => !step.isMfa && !step.byClaim);
  if (performedMfa && !performedPrimary) return { kind: 'events', events: [mfaEvent(id, 'SUCCESS', performedMfa.factor ?? 'unknown')] };

  const result = known?.result ?? OTHER_CODE_RESULT;
  const text = failureText(view);
  const reason = known ? known.reason : `AADSTS${code}${text ? `: ${text}` : ''}`;
  const signIn = event('login', id, { result, reason, factor: loginFactor(steps) });
  if (performedMfa) return { kind: 'events', events: [mfaEvent(`${id}${MFA_EVENT_SUFFIX}`, 'SUCCESS', performedMfa.factor ?? 'unknown'), signIn] };
  return { kind: 'events', events: [signIn] };
}

function lastOf<T>(items: readonly T[], matches: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (matches(items[i]!)) return items[i];
  return undefined;
}

function errorCodeOf(view: FieldView, envelope: SignInEnvelope): number {
  const code = view.integer('status.errorCode');
  if (code !== undefined) return code;
  if (envelope.resultType !== undefined) {
    if (!/^\d+$/.test(envelope.resultType)) throw new SourceFieldError('resultType', `expected a numeric error code, got ${JSON.stringify(envelope.resultType.slice(0, 40))}`);
    return Number(envelope.resultType);
  }
  throw new SourceFieldError(view.pathOf('status.errorCode'), 'required');
}

function readSteps(view: FieldView): Step[] {
  return view.children('authenticationDetails').map((step) => {
    const method = step.string('authenticationMethod');
    const requirement = step.string('authenticationStepRequirement');
    const detail = step.string('authenticationStepResultDetail');
    const factor = factorOfMethod(method);
    const byClaim = CLAIM_METHODS.some((name) => name.toLowerCase() === method?.toLowerCase()) || (detail !== undefined && CLAIM_DETAIL.test(detail));
    const isMfa = requirement !== undefined ? MFA_REQUIREMENT.test(requirement) : factor !== undefined && factor !== 'password' && factor !== 'sso';
    return { factor, isMfa, byClaim, succeeded: step.boolean('succeeded'), detail };
  });
}

/** The factor the sign-in ended with: its MFA method when it has one, else the first factor ("sso" when satisfied by a token). */
function loginFactor(steps: readonly Step[]): Factor | undefined {
  const mfa = lastOf(steps, (step) => step.isMfa && step.succeeded !== false && step.factor !== undefined && step.factor !== 'sso');
  if (mfa) return mfa.factor;
  const primary = lastOf(steps, (step) => !step.isMfa);
  if (!primary) return undefined;
  return primary.byClaim ? 'sso' : primary.factor;
}

function failedMfaResult(step: Step | undefined, view: FieldView): LoginResult {
  for (const text of [step?.detail, view.string('status.additionalDetails'), view.string('status.failureReason')]) {
    const outcome = text === undefined ? undefined : MFA_OUTCOMES.find((row) => row.pattern.test(text));
    if (outcome) return outcome.result;
  }
  return MFA_FAILURE_DEFAULT;
}

/** A failed MFA with no step recorded: the text still says when it was the Authenticator app. */
function pushHint(view: FieldView): Factor | undefined {
  const text = `${view.string('status.additionalDetails') ?? ''} ${view.string('status.failureReason') ?? ''}`;
  return /mobile app|phone app|authenticator/i.test(text) ? 'push' : undefined;
}

function failureText(view: FieldView): string | undefined {
  return view.string('status.failureReason') ?? view.string('status.additionalDetails');
}

/** The parts of the login block every event of the record shares. */
function loginDetails(view: FieldView, envelope: SignInEnvelope): Record<string, unknown> {
  const device = view.child('deviceDetail');
  const userAgent = view.string('userAgent');
  const riskEventTypes = [...view.strings('riskEventTypes_v2'), ...view.strings('riskEventTypes')];
  return definedOnly({
    application: view.string('appDisplayName') ?? view.string('resourceDisplayName'),
    ip: view.string('ipAddress') ?? envelope.callerIpAddress,
    geo: geoOf(view.child('location')),
    asn: view.integer('autonomousSystemNumber'),
    anonymizer: riskEventTypes.some((type) => ANONYMIZER_RISK_EVENTS.includes(type)) || undefined,
    userAgent,
    browser: browserFromUserAgent(userAgent) ?? entraBrowser(device?.string('browser')),
    deviceId: device?.string('deviceId'),
    sessionId: view.string('sessionId'),
    risk: riskOf(view),
    riskState: view.string('riskState'),
    riskEventTypes: riskEventTypes.length > 0 ? [...new Set(riskEventTypes)] : undefined,
    clientApp: view.string('clientAppUsed'),
    correlationId: view.string('correlationId'),
    interactive: view.boolean('isInteractive') ?? (envelope.category === 'NonInteractiveUserSignInLogs' ? false : undefined),
  });
}

function geoOf(location: FieldView | undefined): Record<string, unknown> | undefined {
  if (!location) return undefined;
  const named = location.string('countryOrRegion');
  const country = countryCode(named);
  if (named !== undefined && country === undefined) {
    throw new SourceFieldError(location.pathOf('countryOrRegion'), `not an ISO-3166 alpha-2 country code: ${JSON.stringify(named.slice(0, 40))}`);
  }
  const geo = definedOnly({
    country,
    city: location.string('city'),
    lat: location.number('geoCoordinates.latitude'),
    lon: location.number('geoCoordinates.longitude'),
  });
  return Object.keys(geo).length > 0 ? geo : undefined;
}

type Risk = (typeof RISK_LEVELS)[number];

function riskOf(view: FieldView): Risk | undefined {
  const level = view.string('riskLevelDuringSignIn');
  let risk: Risk | undefined;
  if (level !== undefined) {
    if (!Object.hasOwn(RISK_LEVELS_READ, level)) {
      throw new SourceFieldError(view.pathOf('riskLevelDuringSignIn'), `expected one of ${Object.keys(RISK_LEVELS_READ).join('|')}, got ${JSON.stringify(level.slice(0, 40))}`);
    }
    risk = RISK_LEVELS_READ[level];
  }
  return view.string('riskState') === CONFIRMED_COMPROMISED ? 'high' : risk;
}

/** deviceDetail.browser as "Name Major": "Chrome 131.0.0" -> "Chrome 131", "IE 11.0" -> "Internet Explorer 11". */
export function entraBrowser(browser: string | undefined): string | undefined {
  if (browser === undefined) return undefined;
  const match = /^(.*?)\s+(\d+)(?:\.[\d.]*)?$/.exec(browser.trim());
  const name = match ? match[1]! : browser.trim();
  const fullName = Object.hasOwn(ENTRA_BROWSER_NAMES, name.toLowerCase()) ? ENTRA_BROWSER_NAMES[name.toLowerCase()]! : name;
  return match ? `${fullName} ${match[2]}` : fullName;
}
