import { createHash } from 'node:crypto';
import { USER_STATUSES, type EventUser } from '../schema.js';
import type { AdaptResult, RawRecord } from './adapter-types.js';
import { describeJsonType } from '../parse-record.js';
import { readTime } from './duo-authlog.js';
import { ADMIN_ACTIONS, DUO_FIELDS, DUO_USER_STATUSES } from './duo-tables.js';
import { FieldView, SourceFieldError, definedOnly, generatedUserState } from './record-fields.js';

/** An Admin API administrator log record: action, a time, and the administrator's username. */
export function isAdministratorRecord(record: RawRecord): boolean {
  return (
    typeof record.action === 'string' &&
    typeof record.username === 'string' &&
    (typeof record.isotimestamp === 'string' || typeof record.timestamp === 'number')
  );
}

/**
 * Directory changes from the administrator log (user_create, user_update, admin_create, ...).
 * The log has no record id: the id is derived from the record's content, so the same record
 * always gets the same id (generated files carry the generated event's id in `sigfire.id`).
 */
export function adaptAdministratorRecord(record: RawRecord): AdaptResult {
  const view = new FieldView(record, DUO_FIELDS);
  const actionName = view.requiredString('action', 'the administrator action');
  const rule = ADMIN_ACTIONS[actionName];
  if (!rule) return { kind: 'ignored', reason: `administrator action "${actionName}" does not change a user` };
  const time = readTime(view);
  const description = readDescription(view);
  const role = stringIn(description, 'role');
  if ((actionName === 'admin_create' || actionName === 'admin_update' || actionName === 'admin_delete') && !role) {
    return { kind: 'ignored', reason: `${actionName} without a role in its description` };
  }
  const isUserRecord = actionName.startsWith('user_');
  const login = subjectLogin(view, description, isUserRecord);
  const status = stringIn(description, 'status');
  const action = actionName === 'user_update' && status !== undefined ? 'status_changed' : rule.action;
  const user: EventUser = {
    ...definedOnly({
      login,
      email: stringIn(description, 'email'),
      displayName: stringIn(description, 'realname') ?? stringIn(description, 'name'),
    }),
    // an administrator's own status ("Pending Activation") is not the user's
    ...(isUserRecord && status !== undefined ? duoUserStatus(status) : undefined),
    ...generatedUserState(view),
  };
  const actor = view.string('username');
  const event = definedOnly({
    id: view.string('sigfire.id') ?? derivedId(record),
    time,
    provider: 'DUO',
    type: 'user',
    action,
    role,
    actor: actor === undefined ? undefined : { login: actor },
    user,
  });
  return { kind: 'events', events: [event] };
}

/**
 * A user_ action's `object` is the Duo username, the key the authentication log uses (user.name),
 * with or without an email. A Duo administrator has no username: `object` is their display name,
 * so an admin_ action is keyed on description.email when it has one.
 */
function subjectLogin(view: FieldView, description: Record<string, unknown>, isUserRecord: boolean): string {
  const login = isUserRecord ? view.string('object') : (stringIn(description, 'email') ?? view.string('object'));
  if (login === undefined) throw new SourceFieldError('object', 'required: the user the action was taken on');
  return login;
}

/** Duo writes what changed as serialized JSON or free text; free text says nothing we can use. */
function readDescription(view: FieldView): Record<string, unknown> {
  const description = view.value('description');
  if (description === undefined) return {};
  if (typeof description === 'object' && !Array.isArray(description)) return description as Record<string, unknown>;
  if (typeof description !== 'string') {
    throw new SourceFieldError('description', `expected a string (serialized JSON or text), got ${describeJsonType(description)}`);
  }
  try {
    const parsed: unknown = JSON.parse(description);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringIn(description: Record<string, unknown>, key: string): string | undefined {
  const value = description[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** "Disabled" -> SUSPENDED, "Bypass" -> ACTIVE with bypassMfa; a sigfire status name is taken as is. */
export function duoUserStatus(text: string): Partial<EventUser> {
  const known = DUO_USER_STATUSES[text.trim().toLowerCase()];
  if (known) return definedOnly({ status: known.status, bypassMfa: known.bypassMfa });
  const upper = text.trim().toUpperCase();
  return (USER_STATUSES as readonly string[]).includes(upper) ? { status: upper as EventUser['status'] } : {};
}

function derivedId(record: RawRecord): string {
  const content = JSON.stringify([record.action, record.object, record.username, record.isotimestamp, record.timestamp, record.description]);
  return `duo-admin-${createHash('sha256').update(content).digest('hex').slice(0, 20)}`;
}
