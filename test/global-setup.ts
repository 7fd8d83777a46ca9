import { spawnSync } from 'node:child_process';

/**
 * Builds once before any test file runs: the CLI tests spawn the compiled `sigfire`
 * (dist/), and type-checks the tests themselves (vitest only strips their types).
 * One build for the whole run, so no test file rebuilds dist/ under another's feet.
 */
export default function setup(): void {
  for (const project of ['tsconfig.json', 'tsconfig.test.json']) {
    const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tsc -p ${project} failed:\n${result.stdout}${result.stderr}`);
  }
}
