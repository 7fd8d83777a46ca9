import { readFile, writeFile } from 'node:fs/promises';
import { ADAPTERS } from '../events/adapters/registry.js';
import { renderMappingTables } from '../events/adapters/mapping-markdown.js';

/** The generated parts of README.md, between their markers. `npm run docs` rewrites them; a test checks they are current. */
export const README_SECTIONS = {
  'adapter-mappings': () => renderMappingTables(ADAPTERS),
} as const;

export function replaceSection(readme: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`README.md has no ${start} ... ${end} markers`);
  return `${readme.slice(0, from + start.length)}\n${body}\n${readme.slice(to)}`;
}

async function main(): Promise<void> {
  let readme = await readFile('README.md', 'utf8');
  for (const [name, render] of Object.entries(README_SECTIONS)) readme = replaceSection(readme, name, render());
  await writeFile('README.md', readme);
  process.stdout.write('README.md: generated sections updated\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
