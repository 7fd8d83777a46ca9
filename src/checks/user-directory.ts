import type { EventUser, IdentityEvent } from '../events/schema.js';

/**
 * The tenant's users as the replay has seen them: user events (created, updated,
 * role_assigned, mfa_enrolled, mfa_removed, status_changed, deleted) and the user block of
 * every event update it, so posture checks see a user's current state on later events.
 */
export class UserDirectory {
  private readonly users = new Map<string, EventUser>();

  get size(): number {
    return this.users.size;
  }

  get(login: string): EventUser | undefined {
    return this.users.get(login);
  }

  /** The user for this event: the directory's record overlaid with what the event carries. */
  view(event: IdentityEvent): EventUser {
    const known = this.users.get(event.user.login);
    return known ? { ...known, ...definedFields(event.user) } : event.user;
  }

  /** Records the event's effect, after checks have run on it. */
  apply(event: IdentityEvent, viewed: EventUser): void {
    const next: EventUser = { ...viewed };
    if (event.type === 'user' || event.type === 'admin') {
      switch (event.action) {
        case 'role_assigned':
          if (event.role) next.roles = [...new Set([...(viewed.roles ?? []), event.role])];
          break;
        case 'role_removed':
          if (event.role) next.roles = (viewed.roles ?? []).filter((role) => role !== event.role);
          break;
        case 'mfa_enrolled':
          if (event.user.mfaEnabled === undefined) next.mfaEnabled = true;
          break;
        case 'mfa_removed':
          if (event.user.mfaEnabled === undefined && !event.user.factors?.length) {
            next.mfaEnabled = false;
            next.factors = [];
          }
          break;
        case 'deleted':
          next.status = 'DEPROVISIONED';
          break;
      }
    }
    if (event.login?.result === 'SUCCESS' && (event.type === 'login' || event.type === 'mfa')) {
      next.lastSuccessAt = event.time;
    }
    this.users.set(event.user.login, next);
  }
}

function definedFields(user: EventUser): Partial<EventUser> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(user)) if (value !== undefined) out[key] = value;
  return out as Partial<EventUser>;
}
