import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temp directory for one test file, removed after its tests; `file` writes numbered files into it. */
export function tempFiles(prefix: string): { dir: string; file(content: string | Buffer, ext?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), `sigfire-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let count = 0;
  return {
    dir,
    file(content, ext = 'ndjson') {
      const path = join(dir, `case-${++count}.${ext}`);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** Every item of an async iterable, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
