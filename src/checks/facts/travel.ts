import { z } from 'zod';
import type { EvaluationContext, Tracker } from './context.js';
import { haversineKm } from './haversine.js';
import { compileWhere, WhereSchema } from './where.js';

export const TravelParams = z.strictObject({ where: WhereSchema.optional() });

export interface TravelValue {
  hasPrevious: boolean;
  distanceKm: number;
  speedKmh: number;
  hours: number;
  sameIp: boolean;
  previousIp?: string;
  previousCountry?: string;
  previousCity?: string;
  previousTime?: string;
}

interface Position {
  time: number;
  lat: number;
  lon: number;
  ip?: string;
  country?: string;
  city?: string;
}

export const TRAVEL_FIELDS = ['hasPrevious', 'distanceKm', 'speedKmh', 'hours', 'sameIp', 'previousIp', 'previousCountry', 'previousCity', 'previousTime'] as const;

const NO_PREVIOUS: TravelValue = { hasPrevious: false, distanceKm: 0, speedKmh: 0, hours: 0, sameIp: false };
const DEFAULT_WHERE = { type: 'login', 'login.result': 'SUCCESS' };

function positionOf(ctx: EvaluationContext): Position | undefined {
  const geo = ctx.event.login?.geo;
  if (geo?.lat === undefined || geo.lon === undefined) return undefined;
  return { time: ctx.time, lat: geo.lat, lon: geo.lon, ip: ctx.event.login?.ip, country: geo.country, city: geo.city };
}

/** Distance and speed from the user's previous matching located event (impossible travel). */
export function createTravel(params: z.infer<typeof TravelParams>): Tracker {
  const matches = compileWhere(params.where ?? DEFAULT_WHERE);
  const lastPosition = new Map<string, Position>();

  return {
    value(ctx): TravelValue {
      const previous = lastPosition.get(ctx.event.user.login);
      const current = positionOf(ctx);
      if (!previous || !current || current.time < previous.time) return NO_PREVIOUS;
      const distanceKm = haversineKm(previous.lat, previous.lon, current.lat, current.lon);
      const hours = (current.time - previous.time) / 3_600_000;
      // Same instant: any real distance is infinitely fast; cap so the value stays printable JSON.
      const speedKmh = hours > 0 ? distanceKm / hours : distanceKm > 0 ? Number.MAX_SAFE_INTEGER : 0;
      return {
        hasPrevious: true,
        distanceKm: Math.round(distanceKm * 10) / 10,
        speedKmh: Math.round(speedKmh * 10) / 10,
        hours: Math.round(hours * 1000) / 1000,
        sameIp: previous.ip !== undefined && previous.ip === current.ip,
        previousIp: previous.ip,
        previousCountry: previous.country,
        previousCity: previous.city,
        previousTime: new Date(previous.time).toISOString(),
      };
    },
    observe(ctx) {
      if (!matches(ctx.event)) return;
      const position = positionOf(ctx);
      if (position) lastPosition.set(ctx.event.user.login, position);
    },
    sweep() {
      // One position per user: bounded by the user population, not by the replay length.
    },
    size() {
      return lastPosition.size;
    },
  };
}
