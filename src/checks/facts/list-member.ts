import { z } from 'zod';
import { getPath } from '../../util/object-path.js';
import type { Tracker, TrackerDeps } from './context.js';

export const ListMemberParams = z.strictObject({ list: z.string().min(1), path: z.string().min(1) });

/** Whether the event's value at `path` is in rules/lists/<list>.txt (IP lists match CIDRs). */
export function createListMember(params: z.infer<typeof ListMemberParams>, deps: TrackerDeps): Tracker {
  return {
    value(ctx) {
      return deps.lists.has(params.list, getPath(ctx.event, params.path));
    },
    observe() {},
    sweep() {},
    size: () => 0,
  };
}
