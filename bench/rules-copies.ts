import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A temp check catalog of exactly `count` checks: the first `base` checks of rules/ (file
 * order), then copies of them under other ids (`<id>-copy-<n>`), with rules/lists/ alongside.
 * The copies are real checks: the Detector loads, lints and evaluates them like any other.
 */
export async function writeCatalogCopy(rulesDir: string, targetDir: string, count: number, base = 20): Promise<void> {
  const names = (await readdir(rulesDir)).filter((name) => name.endsWith('.json')).sort().slice(0, base);
  if (names.length === 0) throw new Error(`no checks in ${rulesDir}`);
  const originals = await Promise.all(names.map(async (name) => JSON.parse(await readFile(join(rulesDir, name), 'utf8')) as Record<string, any>));

  await mkdir(join(targetDir, 'lists'), { recursive: true });
  for (const list of await readdir(join(rulesDir, 'lists'))) await copyFile(join(rulesDir, 'lists', list), join(targetDir, 'lists', list));

  for (let index = 0; index < count; index++) {
    const original = originals[index % originals.length]!;
    const copyNumber = Math.floor(index / originals.length);
    const id = copyNumber === 0 ? original.id : `${original.id}-copy-${copyNumber}`;
    const check = { ...original, id, name: copyNumber === 0 ? original.name : `${original.name} (copy ${copyNumber})`, rule: { ...original.rule, event: { ...original.rule.event, type: id } } };
    await writeFile(join(targetDir, `${id}.json`), `${JSON.stringify(check, null, 2)}\n`);
  }
}
