import type { TargetOverview, TargetState } from '../status/target-status.js';
import { formatCount, paint, table, type Colour } from './output.js';

const STATE_COLOUR: Record<TargetState, Colour> = { 'no-checks': 'amber', ok: 'green', failing: 'red', disabled: 'grey' };
const STATE_LABEL: Record<TargetState, string> = { 'no-checks': 'no checks configured', ok: 'ok', failing: 'failing', disabled: 'disabled' };

function ago(iso: string | undefined): string {
  if (!iso) return '-';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds}s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 129_600) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}

/** The `sigfire targets` table (also printed by the demo and `replay --deliver --wait`). */
export function renderTargetsTable(targets: TargetOverview[], unwiredChecks: string[]): string {
  const rows = targets.map((t) => [
    t.id,
    paint(STATE_LABEL[t.state], STATE_COLOUR[t.state]),
    String(t.wiredChecks),
    formatCount(t.delivered),
    formatCount(t.retrying),
    formatCount(t.deadLetters),
    t.lastDeliveryAt ? `${ago(t.lastDeliveryAt)}${t.lastStatus ? ` (${t.lastStatus})` : ''}` : '-',
    t.lastTest ? `${t.lastTest.ok ? 'ok' : 'failed'} ${t.lastTest.status ?? ''} ${ago(t.lastTest.time)}`.replace(/\s+/g, ' ') : 'never',
    t.url,
  ]);
  const lines = [table(['TARGET', 'STATUS', 'CHECKS', 'DELIVERED', 'RETRYING', 'DEAD', 'LAST DELIVERY', 'LAST TEST', 'URL'], rows)];
  for (const t of targets) {
    if (t.state === 'failing' || t.state === 'disabled') lines.push(`  ${t.id}: ${t.stateReason ?? ''}${t.lastError ? ` — last error: ${t.lastError}` : ''}`);
  }
  if (unwiredChecks.length) lines.push(`\nchecks wired to no target (${unwiredChecks.length}): ${unwiredChecks.join(', ')}`);
  return lines.join('\n');
}
