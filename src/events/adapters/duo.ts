import type { AdaptResult, RawRecord, SourceAdapter } from './adapter-types.js';
import { adaptAdministratorRecord, isAdministratorRecord } from './duo-admin-log.js';
import { adaptAuthlog, isAuthlog } from './duo-authlog.js';
import { DUO_MAPPING } from './duo-mapping.js';
import { withFieldErrors } from './record-fields.js';

/**
 * Duo Admin API exports: authentication log records (v2 `response.authlogs[]`, or one a line)
 * and administrator log records (directory changes). The mapping is in duo-tables.ts and shown
 * by DUO_MAPPING; generated files follow the conventions listed there.
 */
export const duoAdapter: SourceAdapter = {
  format: 'duo',
  name: 'Duo Admin API logs (authentication, administrator)',
  expects: 'txid, isotimestamp, user, factor, result (authentication log) or action, username, isotimestamp (administrator log)',
  recognizes: (record) => isAuthlog(record) || isAdministratorRecord(record),
  adapt: withFieldErrors(adaptDuoRecord, 'unreadable Duo record: '),
  mapping: DUO_MAPPING,
};

function adaptDuoRecord(record: RawRecord): AdaptResult {
  // a malformed record is reported against the log its fields say it came from
  const administrator = isAdministratorRecord(record) || (typeof record.action === 'string' && record.txid === undefined);
  return administrator ? adaptAdministratorRecord(record) : adaptAuthlog(record);
}
