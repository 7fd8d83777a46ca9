import type { Writable } from 'node:stream';

export interface NdjsonWriteResult {
  /** lines handed to the stream */
  lines: number;
  /** the reader went away (EPIPE, as with `| head`): not an error, just the end */
  closedEarly: boolean;
}

/**
 * Writes items as NDJSON in ~64 KiB chunks, waiting for 'drain' when the stream is full,
 * and giving the event loop a turn between chunks (stdout to a pipe writes synchronously,
 * and EPIPE or a progress timer would otherwise never get a chance to run). Pulls items
 * lazily: memory stays flat however many there are.
 */
export async function writeNdjson(items: Iterable<unknown>, out: Writable, chunkBytes = 64 * 1024): Promise<NdjsonWriteResult> {
  let closedEarly = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closedEarly = true;
    else failure = error;
    wake?.();
  };
  out.on('error', onError);

  let buffer = '';
  let pending = 0;
  let lines = 0;
  const flush = async () => {
    const ready = out.write(buffer);
    lines += pending;
    buffer = '';
    pending = 0;
    let resume: () => void = () => {};
    await new Promise<void>((resolve) => {
      resume = wake = resolve;
      if (ready) setImmediate(resolve);
      else out.once('drain', resolve);
    });
    out.off('drain', resume);
    wake = undefined;
  };

  try {
    for (const item of items) {
      if (closedEarly || failure || out.destroyed) break;
      buffer += `${JSON.stringify(item)}\n`;
      pending++;
      if (buffer.length >= chunkBytes) await flush();
    }
    if (buffer !== '' && !closedEarly && !failure && !out.destroyed) await flush();
  } finally {
    out.off('error', onError);
    // a late EPIPE (after the last write) must not become an uncaught error
    out.on('error', ignorePipeErrors);
  }
  if (failure) throw failure;
  return { lines, closedEarly: closedEarly || (out.destroyed && pending > 0) };
}

function ignorePipeErrors(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
}
