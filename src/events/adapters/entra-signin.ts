import type { FACTORS, LOGIN_RESULTS, RISK_LEVELS } from '../schema.js';
import type { AdaptResult } from './adapter-types.js';
import { countryCode } from './countries.js';
import {
  ANONYMIZER_RISK_EVENTS,
  CLAIM_DETAIL,
  CLAIM_METHODS,
  CONFIRMED_COMPROMISED,
  ENTRA_BROWSER_NAMES,
  EXPIRED_TOKEN_CODES,
  INTERRUPT_CODES,
  MFA_FAILURE_CODES,
  MFA_FAILURE_DEFAULT,
  MFA_OUTCOMES,
  MFA_EVENT_SUFFIX,
  MFA_REQUIREMENT,
  NON_INTERACTIVE_ACTION,
  NON_INTERACTIVE_CATEGORY,
  NON_INTERACTIVE_EVENT_TYPE,
  NON_USER_SIGN_INS,
  OTHER_CODE_RESULT,
  RISK_LEVELS_READ,
  SIGN_IN_CODES,
  type SignInCode,
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
  /** what was wrong with the time there, when the record's own time is the fallback */
  timeProblem?: string;
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
 * record). A non-interactive sign-in is a `session` event (no sessionId: one is shared by every
 * app of a device), unless its code is a credential failure, which stays a `login`. An interactive
 * record is an `mfa` event when its outcome is its MFA step's: errorCode 500121, or success with
 * an MFA step performed in it while the first factor was satisfied by a token claim. A success
 * that performed both the first factor and the MFA step is two events: the mfa event
 * (id + ":mfa") and the login. Anything else is one `login` event.
 */
export function adaptSignIn(view: FieldView, envelope: SignInEnvelope): AdaptResult {
  const kinds = view.strings('signInEventTypes');
  const nonUser = kinds.find((kind) => NON_USER_SIGN_INS.includes(kind));
  if (nonUser) return { kind: 'ignored', reason: `${nonUser} sign-in: no user behind it` };

  const id = view.requiredString('id');
  const time = envelope.time ?? view.time('createdDateTime');
  if (time === undefined) throw new SourceFieldError(envelope.timePath, envelope.timeProblem ?? 'required');
  const login = view.requiredString('userPrincipalName');
  const code = errorCodeOf(view, envelope);
  const interrupt = findCode(INTERRUPT_CODES, code);
  if (interrupt) return { kind: 'ignored', reason: `errorCode ${code} (${interrupt.meaning}): an interrupt, the sign-in's outcome is in a later record` };
  const expired = findCode(EXPIRED_TOKEN_CODES, code);
  if (expired) return { kind: 'ignored', reason: `errorCode ${code} (${expired.meaning}): the client must sign in again, no credential was judged` };

  const steps = readSteps(view);
  const known = findCode(SIGN_IN_CODES, code);
  const interactive = interactiveOf(view, envelope, kinds);
  const user = definedOnly({
    login,
    id: view.string('userId'),
    displayName: view.string('userDisplayName'),
    type: userTypeOf(view.string('userType')),
    status: known?.status,
  });
  const details = loginDetails(view, envelope, interactive);
  const event = (type: 'login' | 'mfa' | 'session', eventId: string, outcome: Record<string, unknown>, action?: string): Event =>
    definedOnly({ id: eventId, time, provider: 'AZURE_AD', type, action, user: { ...user }, login: definedOnly({ ...outcome, ...details }) });
  const mfaEvent = (eventId: string, result: LoginResult, factor: Factor) => event('mfa', eventId, { result, factor }, mfaAction(factor, result));
  const outcome = () => ({ ...resultOf(code, known, view), factor: loginFactor(steps) });

  if (interactive === false && !known?.credential) return { kind: 'events', events: [event('session', id, outcome(), NON_INTERACTIVE_ACTION)] };

  if (findCode(MFA_FAILURE_CODES, code)) {
    const failed = lastOf(steps, (step) => step.isMfa && step.succeeded === false) ?? lastOf(steps, (step) => step.isMfa);
    const result = failedMfaResult(failed, view);
    return { kind: 'events', events: [mfaEvent(id, result, failed?.factor ?? pushHint(view) ?? 'unknown')] };
  }

  const lastMfa = lastOf(steps, (step) => step.isMfa);
  const performedMfa = code === 0 && lastMfa?.succeeded === true && !lastMfa.byClaim ? lastMfa : undefined;
  const performedPrimary = steps.length === 0 || steps.some((step) => !step.isMfa && !step.byClaim);
  if (performedMfa && !performedPrimary) return { kind: 'events', events: [mfaEvent(id, 'SUCCESS', performedMfa.factor ?? 'unknown')] };

  const signIn = event('login', id, outcome());
  if (performedMfa) return { kind: 'events', events: [mfaEvent(`${id}${MFA_EVENT_SUFFIX}`, 'SUCCESS', performedMfa.factor ?? 'unknown'), signIn] };
  return { kind: 'events', events: [signIn] };
}

/** login.result and login.reason of a code: its row of SIGN_IN_CODES, else an error whose reason is the code and Entra's text. */
function resultOf(code: number, known: SignInCode | undefined, view: FieldView): { result: LoginResult; reason?: string } {
  if (known) return { result: known.result, reason: known.reason };
  const text = failureText(view);
  return { result: OTHER_CODE_RESULT, reason: `AADSTS${code}${text ? `: ${text}` : ''}` };
}

/** false for a non-interactive sign-in (by its diagnostic category, isInteractive or signInEventTypes), undefined when the record does not say. */
function interactiveOf(view: FieldView, envelope: SignInEnvelope, kinds: readonly string[]): boolean | undefined {
  if (envelope.category === NON_INTERACTIVE_CATEGORY) return false;
  const flag = view.boolean('isInteractive');
  if (flag !== undefined) return flag;
  return kinds.length > 0 ? !kinds.every((kind) => kind === NON_INTERACTIVE_EVENT_TYPE) : undefined;
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
function loginDetails(view: FieldView, envelope: SignInEnvelope, interactive: boolean | undefined): Record<string, unknown> {
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
    sessionId: interactive === false ? undefined : view.string('sessionId'),
    risk: riskOf(view),
    riskState: view.string('riskState'),
    riskEventTypes: riskEventTypes.length > 0 ? [...new Set(riskEventTypes)] : undefined,
    clientApp: view.string('clientAppUsed'),
    correlationId: view.string('correlationId'),
    interactive,
  });
}

/** A countryOrRegion that is not an ISO-3166 country ("EU") is left out, the rest of the location kept. */
function geoOf(location: FieldView | undefined): Record<string, unknown> | undefined {
  if (!location) return undefined;
  const geo = definedOnly({
    country: countryCode(location.string('countryOrRegion')),
    city: location.string('city'),
    lat: location.number('geoCoordinates.latitude'),
    lon: location.number('geoCoordinates.longitude'),
  });
  return Object.keys(geo).length > 0 ? geo : undefined;
}

type Risk = (typeof RISK_LEVELS)[number];

/** An unknown riskLevelDuringSignIn says nothing checks can use: the risk is left out, the sign-in kept. */
function riskOf(view: FieldView): Risk | undefined {
  const level = view.string('riskLevelDuringSignIn');
  const risk = level !== undefined && Object.hasOwn(RISK_LEVELS_READ, level) ? RISK_LEVELS_READ[level] : undefined;
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
