import type { MappingTable, SourceAdapter } from './adapter-types.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function renderTable(table: MappingTable): string {
  const hasNotes = table.rows.some((row) => row.note);
  const head = hasNotes ? '| source | sigfire | note |\n|---|---|---|' : '| source | sigfire |\n|---|---|';
  const rows = table.rows.map((row) => `| ${cell(row.source)} | ${cell(row.target)} |${hasNotes ? ` ${cell(row.note ?? '')} |` : ''}`);
  return `**${table.title}**\n\n${head}\n${rows.join('\n')}`;
}

/** The README section with every adapter's mapping tables, generated from the adapters themselves. */
export function renderMappingTables(adapters: readonly SourceAdapter[]): string {
  return adapters
    .filter((adapter) => adapter.mapping.length > 0)
    .map((adapter) => `#### ${adapter.name} (\`--format ${adapter.format}\`)\n\n${adapter.mapping.map(renderTable).join('\n\n')}`)
    .join('\n\n');
}
