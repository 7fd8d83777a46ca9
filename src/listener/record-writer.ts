import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { maskHeaders, maskQuery } from './masking.js';
import type { ReceivedRequest } from './types.js';

export interface RecordLine {
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  status: number;
  envelopeId?: string;
  detailType?: string;
  bytes: number;
  duplicate: boolean;
  /** Why a request was not accepted. */
  reason?: string;
}

/** Appends one NDJSON line per request through a buffered stream; `close()` flushes. */
export class RecordWriter {
  private constructor(private readonly stream: WriteStream) {}

  static async open(file: string): Promise<RecordWriter> {
    const stream = createWriteStream(file, { flags: 'a' });
    try {
      await once(stream, 'open'); // rejects on the stream's 'error'
    } catch (error) {
      throw new Error(`cannot open record file ${file}: ${(error as Error).message}`);
    }
    return new RecordWriter(stream);
  }

  write(request: ReceivedRequest, extra: { detailType?: string; bytes: number; reason?: string }): void {
    const line: RecordLine = {
      time: request.time,
      method: request.method,
      path: request.path,
      query: maskQuery(request.query),
      headers: maskHeaders(request.headers),
      status: request.status,
      envelopeId: request.envelopeId,
      detailType: extra.detailType,
      bytes: extra.bytes,
      duplicate: request.duplicate,
      reason: extra.reason,
    };
    this.stream.write(JSON.stringify(line) + '\n');
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
