import { describeJsonType } from '../parse-record.js';
import { timestampProblem } from '../schema.js';
import type { AdaptResult, RawRecord, SourceAdapter } from './adapter-types.js';
import { adaptAudit } from './entra-audit.js';
import { ENTRA_MAPPING } from './entra-mapping.js';
import { adaptSignIn } from './entra-signin.js';
import { AUDIT_CATEGORY, SIGN_IN_CATEGORIES } from './entra-tables.js';
import { FieldView, SourceFieldError, generatedUserState, isObject, withFieldErrors } from './record-fields.js';

/**
 * Microsoft Entra ID sign-in logs (and the directory audit log beside them), in the two shapes
 * exports come in: Graph objects (`/auditLogs/signIns`, `/auditLogs/directoryAudits`; the reader
 * unwraps `{"value": [...]}`) and diagnostic-settings records (Event Hub `{"records": [...]}`,
 * storage-account NDJSON) that nest the same object under `properties`.
 */
export const entraAdapter: SourceAdapter = {
  format: 'entra',
  name: 'Microsoft Entra ID sign-in logs',
  expects: 'a Graph signIn (id, createdDateTime, userPrincipalName, status) or a diagnostic-settings record (time, category, operationName, properties)',
  recognizes: (record) => isDiagnosticRecord(record) || isGraphSignIn(record) || isGraphDirectoryAudit(record),
  adapt: withFieldErrors((record) => withOverlay(record, adaptRecord(record))),
  mapping: ENTRA_MAPPING,
};

function isDiagnosticRecord(record: RawRecord): boolean {
  return typeof record.time === 'string' && typeof record.category === 'string' && typeof record.operationName === 'string' && isObject(record.properties);
}

function isGraphSignIn(record: RawRecord): boolean {
  return typeof record.createdDateTime === 'string' && 'userPrincipalName' in record && isObject(record.status);
}

function isGraphDirectoryAudit(record: RawRecord): boolean {
  return typeof record.activityDateTime === 'string' && typeof record.activityDisplayName === 'string' && Array.isArray(record.targetResources);
}

function adaptRecord(record: RawRecord): AdaptResult {
  const root = new FieldView(record);
  // a Graph directoryAudit has a `category` too ("RoleManagement"), but never a diagnostic record's `properties`
  if ('activityDisplayName' in record) return adaptAudit(root, { timePath: 'activityDateTime' });
  if ('properties' in record || 'category' in record) return adaptDiagnostic(root);
  return adaptSignIn(root, { timePath: 'createdDateTime' });
}

function adaptDiagnostic(root: FieldView): AdaptResult {
  const category = root.requiredString('category');
  const properties = root.child('properties');
  if (!properties) throw new SourceFieldError('properties', 'required');
  const time = diagnosticTime(root);
  if (SIGN_IN_CATEGORIES.includes(category)) {
    return adaptSignIn(properties, {
      ...time,
      timePath: 'time',
      resultType: resultTypeOf(root),
      callerIpAddress: root.string('callerIpAddress'),
      category,
    });
  }
  if (category === AUDIT_CATEGORY) return adaptAudit(properties, { ...time, timePath: 'time' });
  return { kind: 'ignored', reason: `diagnostic category ${category}: neither user sign-ins nor directory changes` };
}

/**
 * The diagnostic record's `time`. One the event schema would reject (no zone: "2025-03-11T07:58:03")
 * is not used: the record's own createdDateTime / activityDateTime is, and the problem is reported
 * only when that is missing too.
 */
function diagnosticTime(root: FieldView): { time?: string; timeProblem?: string } {
  const text = root.string('time');
  if (text === undefined) return {};
  const problem = timestampProblem(text);
  return problem === undefined ? { time: text } : { timeProblem: problem };
}

/** resultType is a string in diagnostic records ("50126"); some pipelines write the number. */
function resultTypeOf(root: FieldView): string | undefined {
  const value = root.value('resultType');
  if (value === undefined || typeof value === 'string') return value === '' ? undefined : value;
  if (Number.isInteger(value)) return String(value);
  throw new SourceFieldError('resultType', `expected a string, got ${describeJsonType(value)}`);
}

/** Directory state a file written by `sigfire generate --format entra` carries in `sigfire.user`. */
function withOverlay(record: RawRecord, result: AdaptResult): AdaptResult {
  if (result.kind !== 'events') return result;
  const fields = generatedUserState(new FieldView(record));
  if (Object.keys(fields).length === 0) return result;
  const events = result.events.map((event) => ({ ...event, user: { ...(event.user as Record<string, unknown>), ...fields } }));
  return { kind: 'events', events };
}
