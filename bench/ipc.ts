import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Request/response over Node's IPC channel, for the bench's helper processes (receiver,
 * ceiling senders): `call(op, args)` in the parent, `serveCalls(handlers)` in the child.
 */
interface CallMessage {
  id: number;
  op: string;
  args: unknown;
}
interface ReplyMessage {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class HelperProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private exited = false;
  private stderr = '';

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.on('message', (message: ReplyMessage) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    child.once('exit', (code, signal) => {
      this.exited = true;
      const error = new Error(`${name} exited (${signal ?? code})${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
  }

  /** Starts a compiled helper script and waits for its first call to be answerable. */
  static async start(name: string, script: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<HelperProcess> {
    // stdout is the bench's table: whatever a helper prints goes to stderr instead
    const child = fork(script, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env });
    child.stdout?.pipe(process.stderr);
    const helper = new HelperProcess(name, child);
    await helper.call('ping');
    return helper;
  }

  get pid(): number {
    return this.child.pid!;
  }

  call<T = unknown>(op: string, args: unknown = {}): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, op, args } satisfies CallMessage);
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Child side: answers each call with its handler's result (or error). */
export function serveCalls(handlers: Record<string, (args: any) => unknown>): void {
  const all: Record<string, (args: any) => unknown> = { ping: () => 'pong', ...handlers };
  process.on('message', (message: CallMessage) => {
    const handler = all[message.op];
    const reply = (body: Omit<ReplyMessage, 'id'>) => process.send?.({ id: message.id, ...body });
    if (!handler) return reply({ ok: false, error: `unknown op ${message.op}` });
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (result) => reply({ ok: true, result }),
        (error: unknown) => reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
