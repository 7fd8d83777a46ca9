import type { IncomingMessage } from 'node:http';

export type BodyResult = { tooLarge: false; body: string; bytes: number } | { tooLarge: true; bytes: number };

/**
 * Reads a request body up to `maxBytes`. A body announced or found to be larger is not read further
 * (the caller answers 413 and closes the connection), so a large upload never sits in memory.
 * Rejects when the client goes away before the body is complete.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const announced = Number(request.headers['content-length']);
  if (announced > maxBytes) return Promise.resolve({ tooLarge: true, bytes: announced });

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        stopListening();
        request.pause();
        resolve({ tooLarge: true, bytes });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stopListening();
      resolve({ tooLarge: false, body: Buffer.concat(chunks, bytes).toString('utf8'), bytes });
    };
    const onAbort = (): void => {
      stopListening();
      reject(new Error('client closed the connection before the body was complete'));
    };
    const stopListening = (): void => {
      request.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
    };
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}
