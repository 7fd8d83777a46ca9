import { attackerDevice, type Device } from '../devices.js';
import { distanceKm, type City } from '../geo.js';
import type { SimUser } from '../population.js';
import type { SessionPlace } from '../benign-session.js';
import type { AttackContext } from './types.js';

/** The attacker's n-th foothold: a fresh address, scripted client, in a city the tenant knows. */
export function attackerPlace(ctx: AttackContext, n = 0, city?: City): SessionPlace {
  const device: Device = attackerDevice(ctx.random);
  return { ip: ctx.attackerIp(n), device, city: city ?? ctx.random.pick(ctx.tenantCities) };
}

/** The victim at their desk: own laptop, own address, home city. */
export function victimPlace(victim: SimUser): SessionPlace {
  return { ip: victim.ips.laptop, device: victim.devices[0]!, city: victim.home };
}

/** A tenant city at least `minKm` from `from` (the farthest one when none is that far). */
export function farCity(ctx: AttackContext, from: City, minKm: number): City {
  const far = ctx.tenantCities.filter((city) => distanceKm(city, from) >= minKm);
  if (far.length > 0) return ctx.random.pick(far);
  return [...ctx.tenantCities].sort((a, b) => distanceKm(b, from) - distanceKm(a, from))[0] ?? from;
}

/** Rotates through `places` across the episodes of one kind, so each one uses a place not seen lately. */
export function rotatingPick<T>(ctx: AttackContext, places: readonly T[]): T {
  return places[(ctx.rotation + ctx.ordinal) % places.length]!;
}

/** `count` times spread over `spanMs` from `startMs`, sorted, with a little jitter. */
export function spreadTimes(ctx: AttackContext, startMs: number, count: number, spanMs: number): number[] {
  const step = count > 1 ? spanMs / (count - 1) : 0;
  const jitter = Math.min(step / 3, 5000);
  return Array.from({ length: count }, (_, i) => Math.round(startMs + i * step + (i > 0 && i < count - 1 ? ctx.random.between(-jitter, jitter) : 0)));
}
