import { open } from 'node:fs/promises';
import { parseRecordBytes } from './parse-record.js';
import type { ReadRecordsOptions, RecordItem } from './record-types.js';
import { readRecords } from './records.js';

const BLOCK_BYTES = 1024 * 1024;

/**
 * The records of a file, last first: for exports that run newest-first. A first pass
 * streams the file and keeps only where each record sits (offset, length, line: 20 bytes
 * a record, never the records); the second reads them back from the end in 1 MiB blocks.
 * Errors found by the first pass (bad JSON, a truncated array) come first.
 */
export async function* readRecordsBackwards(path: string, options: ReadRecordsOptions = {}): AsyncGenerator<RecordItem> {
  const index = new RecordIndex();
  for await (const item of readRecords(path, options)) {
    if (!item.ok) yield item;
    else if (item.offset !== undefined && item.length !== undefined) index.add(item.offset, item.length, item.line);
  }
  const file = await open(path, 'r');
  try {
    let block = Buffer.alloc(0);
    let blockStart = 0;
    for (let i = index.size - 1; i >= 0; i--) {
      const offset = index.offset(i);
      const length = index.length(i);
      if (offset < blockStart || offset + length > blockStart + block.length) {
        const end = offset + length;
        blockStart = Math.max(0, end - Math.max(BLOCK_BYTES, length));
        block = Buffer.alloc(end - blockStart);
        const { bytesRead } = await file.read(block, 0, block.length, blockStart);
        if (bytesRead < block.length) {
          yield { ok: false, error: { source: path, line: index.line(i), message: 'the file changed while it was read (it is shorter now): stopped' } };
          return;
        }
      }
      const start = offset - blockStart;
      yield parseRecordBytes(block.subarray(start, start + length), path, index.line(i));
    }
  } finally {
    await file.close();
  }
}

/** Growable columns of record positions. */
class RecordIndex {
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  size = 0;

  add(offset: number, length: number, line: number): void {
    if (this.size === this.offsets.length) this.grow();
    this.offsets[this.size] = offset;
    this.lengths[this.size] = length;
    this.lines[this.size] = line;
    this.size++;
  }

  offset(i: number): number {
    return this.offsets[i]!;
  }

  length(i: number): number {
    return this.lengths[i]!;
  }

  line(i: number): number {
    return this.lines[i]!;
  }

  private grow(): void {
    const capacity = this.offsets.length * 2;
    const offsets = new Float64Array(capacity);
    offsets.set(this.offsets);
    const lengths = new Uint32Array(capacity);
    lengths.set(this.lengths);
    const lines = new Uint32Array(capacity);
    lines.set(this.lines);
    this.offsets = offsets;
    this.lengths = lengths;
    this.lines = lines;
  }
}
