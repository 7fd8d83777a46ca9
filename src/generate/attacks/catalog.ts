import { activeAccountUnderHeavyAttack, bruteForce, inactiveAccountProbing, passwordSpray } from './credential-attacks.js';
import { adminRoleAssigned, loginToDisabledAccount } from './directory-attacks.js';
import { accessFromDeniedTerritory, impossibleTravel, newCountryForTenant } from './location-attacks.js';
import { bypassCodeUsed, mfaFatigueAccepted, mfaFlood } from './mfa-attacks.js';
import { compromisedSession, ipThreatDetected, signInThreatDetected, unusuallyHighActivity } from './session-attacks.js';
import type { AttackKind } from './types.js';

/** Every attack the generator can stage, by the id of the check it must fire; `--attacks all` is all of them. */
export const ATTACKS: readonly AttackKind[] = [
  mfaFlood,
  mfaFatigueAccepted,
  bypassCodeUsed,
  bruteForce,
  passwordSpray,
  activeAccountUnderHeavyAttack,
  impossibleTravel,
  newCountryForTenant,
  compromisedSession,
  ipThreatDetected,
  signInThreatDetected,
  unusuallyHighActivity,
  adminRoleAssigned,
  loginToDisabledAccount,
  accessFromDeniedTerritory,
  inactiveAccountProbing,
];

export const ATTACK_IDS: readonly string[] = ATTACKS.map((attack) => attack.check);

/** "all" or a comma list of check ids -> the attack kinds, in catalog order; throws on an unknown id. */
export function selectAttacks(spec: string): AttackKind[] {
  const ids = spec.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (ids.includes('all')) return [...ATTACKS];
  const unknown = ids.filter((id) => !ATTACK_IDS.includes(id));
  if (unknown.length > 0) {
    throw new Error(`unknown attack ${unknown.map((id) => JSON.stringify(id)).join(', ')}; known: all, ${ATTACK_IDS.join(', ')}`);
  }
  return ATTACKS.filter((attack) => ids.includes(attack.check));
}
