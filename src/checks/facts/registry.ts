import type { z } from 'zod';
import type { Tracker, TrackerDeps } from './context.js';
import { createDaysSinceLastSuccess, DaysSinceLastSuccessParams } from './days-since-last-success.js';
import { createFirstSeen, FirstSeenParams } from './first-seen.js';
import { createListMember, ListMemberParams } from './list-member.js';
import { createTravel, TRAVEL_FIELDS, TravelParams } from './travel.js';
import { createWindowCount, WindowCountParams } from './window-count.js';
import { createWindowDistinct, WindowDistinctParams } from './window-distinct.js';

export interface DerivedFact {
  params: z.ZodType;
  create(params: any, deps: TrackerDeps): Tracker;
  /** The list names its params refer to, so lint can check them. */
  lists?(params: any): string[];
  /** For object-valued facts: the fields a condition's `path` may name. */
  fields?: readonly string[];
}

/** Facts that take `params` and keep event-time state: the vocabulary of stateful checks. */
export const DERIVED_FACTS: Readonly<Record<string, DerivedFact>> = {
  windowCount: { params: WindowCountParams, create: createWindowCount },
  windowDistinct: { params: WindowDistinctParams, create: createWindowDistinct },
  travel: { params: TravelParams, create: createTravel, fields: TRAVEL_FIELDS },
  firstSeen: { params: FirstSeenParams, create: createFirstSeen },
  daysSinceLastSuccess: { params: DaysSinceLastSuccessParams, create: createDaysSinceLastSuccess },
  listMember: { params: ListMemberParams, create: createListMember, lists: (params: { list: string }) => [params.list] },
};

/** Facts taken straight from the event (and the user directory). */
export const PLAIN_FACTS = ['event', 'type', 'action', 'user', 'login'] as const;

export const KNOWN_FACTS: ReadonlySet<string> = new Set<string>([...PLAIN_FACTS, ...Object.keys(DERIVED_FACTS)]);
