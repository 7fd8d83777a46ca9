import { createHash } from 'node:crypto';
import { USER_STATUSES, type EventUser } from '../schema.js';
import type { AdaptResult, RawRecord } from './adapter-types.js';
import { describeJsonType } from '../parse-record.js';
import { SourceFieldError, definedOnly, readGeneratedUserState, readString, readTime } from './duo-fields.js';
import { ADMIN_ACTIONS, DIRECTORY_STATE_KEYS, DUO_USER_STATUSES } from './duo-tables.js';

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
  const actionName = readString(record, 'action');
  if (actionName === undefined) throw new SourceFieldError('action', 'required: the administrator action');
  const rule = ADMIN_ACTIONS[actionName];
  if (!rule) return { kind: 'ignored', reason: `administrator action "${actionName}" does not change a user` };
  const time = readTime(record);
  const description = readDescription(record);
  const role = stringIn(description, 'role');
  if ((actionName === 'admin_create' || actionName === 'admin_update' || actionName === 'admin_delete') && !role) {
    return { kind: 'ignored', reason: `${actionName} without a role in its description` };
  }
  const login = stringIn(description, 'email') ?? readString(record, 'object');
  if (login === undefined) throw new SourceFieldError('object', 'required: the user the action was taken on');

  const status = stringIn(description, 'status');
  const isUserRecord = actionName.startsWith('user_');
  const action = actionName === 'user_update' && status !== undefined ? 'status_changed' : rule.action;
  const user: EventUser = {
    ...definedOnly({
      login,
      email: stringIn(description, 'email'),
      displayName: stringIn(description, 'realname') ?? stringIn(description, 'name'),
    }),
    // an administrator's own status ("Pending Activation") is not the user's
    ...(isUserRecord && status !== undefined ? duoUserStatus(status) : undefined),
    ...readGeneratedUserState(record, DIRECTORY_STATE_KEYS),
  };
  const actor = readString(record, 'username');
  const event = definedOnly({
    id: readGeneratedId(record) ?? derivedId(record),
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

/** Duo writes what changed as serialized JSON or free text; free text says nothing we can use. */
function readDescription(record: RawRecord): Record<string, unknown> {
  const description = record.description;
  if (description === undefined || description === null) return {};
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

function readGeneratedId(record: RawRecord): string | undefined {
  const sigfire = record.sigfire;
  if (sigfire === undefined || sigfire === null) return undefined;
  if (typeof sigfire !== 'object' || Array.isArray(sigfire)) throw new SourceFieldError('sigfire', `expected an object, got ${describeJsonType(sigfire)}`);
  return readString(record, 'sigfire.id');
}

function derivedId(record: RawRecord): string {
  const content = JSON.stringify([record.action, record.object, record.username, record.isotimestamp, record.timestamp, record.description]);
  return `duo-admin-${createHash('sha256').update(content).digest('hex').slice(0, 20)}`;
}
