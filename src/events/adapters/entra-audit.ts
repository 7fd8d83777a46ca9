import type { AdaptResult } from './adapter-types.js';
import {
  ACCOUNT_ENABLED,
  AUDIT_ACTIVITIES,
  IGNORED_AUDIT_ACTIVITIES,
  MODIFIED_USER_FIELDS,
  ROLE_NAME,
  USER_TYPE,
  userTypeOf,
  type AuditActivity,
} from './entra-tables.js';
import { SourceFieldError, definedOnly, type FieldView } from './record-fields.js';

/** Where the record's time is, and (a diagnostic record's `time` being unusable) why the fallback was needed. */
export interface AuditEnvelope {
  time?: string;
  timePath: string;
  timeProblem?: string;
}

interface ModifiedProperty {
  oldValue: unknown;
  newValue: unknown;
}

/**
 * A directory audit record (Graph directoryAudit, or `properties` of an AuditLogs record) as a
 * `user` event: the activity names the action, the target user and its modifiedProperties say
 * what changed. Activities that change nothing checks read, and failed activities, are ignored.
 */
export function adaptAudit(view: FieldView, envelope: AuditEnvelope): AdaptResult {
  const name = view.requiredString('activityDisplayName');
  const activity = AUDIT_ACTIVITIES.find((row) => row.activity.toLowerCase() === name.toLowerCase());
  if (!activity) {
    const why = Object.entries(IGNORED_AUDIT_ACTIVITIES).find(([ignored]) => ignored.toLowerCase() === name.toLowerCase())?.[1];
    return { kind: 'ignored', reason: `audit activity "${name}": ${why ?? 'changes nothing checks read'}` };
  }
  const outcome = view.string('result');
  if (outcome !== undefined && outcome.toLowerCase() !== 'success') return { kind: 'ignored', reason: `audit activity "${name}" ended in ${outcome}: nothing changed` };

  const id = view.requiredString('id');
  const time = envelope.time ?? view.time('activityDateTime');
  if (time === undefined) throw new SourceFieldError(envelope.timePath, envelope.timeProblem ?? 'required');
  const targets = view.children('targetResources');
  const target = targets.find((t) => t.string('type')?.toLowerCase() === 'user') ?? targets.find((t) => t.string('userPrincipalName') !== undefined);
  if (!target) {
    const types = targets.map((t) => t.string('type') ?? 'untyped').join(', ') || 'none';
    return { kind: 'ignored', reason: `audit activity "${name}" on no user (targets: ${types}): nothing a user check reads` };
  }
  const modified = modifiedProperties(target);
  const actor = view.string('initiatedBy.user.userPrincipalName') ?? view.string('initiatedBy.app.displayName');

  const event = definedOnly({
    id,
    time,
    provider: 'AZURE_AD',
    type: 'user',
    action: activity.action,
    role: roleOf(activity, targets, view),
    actor: actor === undefined ? undefined : { login: actor },
    user: definedOnly({
      login: liveUserPrincipalName(target),
      id: target.string('id'),
      ...userFields(modified),
      status: activity.status ?? statusOf(modified.get(ACCOUNT_ENABLED)),
      type: typeOf(modified.get(USER_TYPE)),
      createdAt: activity.action === 'created' ? time : undefined,
    }),
  });
  return { kind: 'events', events: [event] };
}

/**
 * The target's userPrincipalName as the user signed in with it. A deleted user's UPN is written
 * with its object id (no dashes) in front: "1e0a…6666alice@contoso.com" -> "alice@contoso.com".
 */
function liveUserPrincipalName(target: FieldView): string {
  const upn = target.requiredString('userPrincipalName');
  const prefix = target.string('id')?.replace(/-/g, '').toLowerCase();
  if (prefix === undefined || !/^[0-9a-f]{32}$/.test(prefix)) return upn;
  return upn.length > prefix.length && upn.slice(0, prefix.length).toLowerCase() === prefix ? upn.slice(prefix.length) : upn;
}

function modifiedProperties(target: FieldView): Map<string, ModifiedProperty> {
  const properties = new Map<string, ModifiedProperty>();
  for (const property of target.children('modifiedProperties')) {
    const name = property.string('displayName');
    if (name !== undefined) properties.set(name, { oldValue: decode(property.value('oldValue')), newValue: decode(property.value('newValue')) });
  }
  return properties;
}

/** modifiedProperties values are JSON text: "[true]", "[\"Alice\"]", "\"Global Administrator\""; some exports write them bare. */
function decode(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value === '' ? undefined : value;
  }
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

function userFields(modified: Map<string, ModifiedProperty>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [property, field] of MODIFIED_USER_FIELDS) {
    const value = modified.get(property)?.newValue;
    if (typeof value === 'string' && value !== '') fields[field] = value;
  }
  return fields;
}

function statusOf(enabled: ModifiedProperty | undefined): 'ACTIVE' | 'SUSPENDED' | undefined {
  if (typeof enabled?.newValue !== 'boolean') return undefined;
  return enabled.newValue ? 'ACTIVE' : 'SUSPENDED';
}

function typeOf(userType: ModifiedProperty | undefined): string | undefined {
  return typeof userType?.newValue === 'string' ? userTypeOf(userType.newValue) : undefined;
}

/** The role of a role grant or revocation: Role.DisplayName's new (granted) or old (revoked) value, else the Role target's name. */
function roleOf(activity: AuditActivity, targets: readonly FieldView[], view: FieldView): string | undefined {
  if (activity.action !== 'role_assigned' && activity.action !== 'role_removed') return undefined;
  for (const target of targets) {
    const role = modifiedProperties(target).get(ROLE_NAME);
    const name = activity.action === 'role_assigned' ? (role?.newValue ?? role?.oldValue) : (role?.oldValue ?? role?.newValue);
    if (typeof name === 'string' && name !== '') return name;
  }
  const roleTarget = targets.find((t) => t.string('type')?.toLowerCase() === 'role');
  const name = roleTarget?.string('displayName');
  if (name === undefined) throw new SourceFieldError(view.pathOf('targetResources'), `no ${ROLE_NAME} in modifiedProperties and no target of type "Role"`);
  return name;
}
