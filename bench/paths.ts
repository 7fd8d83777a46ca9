import { fileURLToPath } from 'node:url';

/** Where things are, from the compiled file's location (dist/bench/paths.js). */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
export const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/** A compiled bench file, e.g. benchFile('children/receiver.js'). */
export function benchFile(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}
