import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CLI } from './paths.js';

/** `sigfire worker --quiet -c CONFIG` in a child process, as an operator runs it. */
export class SigfireWorkerProcess {
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.output = (this.output + chunk).slice(-4000)));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.output = (this.output + chunk).slice(-4000)));
  }

  static async start(configFile: string, redisUrl: string, nodeArgs: string[] = []): Promise<SigfireWorkerProcess> {
    const child = spawn(process.execPath, [...nodeArgs, CLI, 'worker', '--quiet', '-c', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDIS_URL: redisUrl },
    });
    const worker = new SigfireWorkerProcess(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sigfire worker did not start within 20 s: ${worker.output.trim()}`)), 20_000);
      const onData = () => {
        if (!worker.output.includes('worker started')) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sigfire worker exited with ${code}: ${worker.output.trim()}`));
      });
    });
    return worker;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** SIGTERM: the worker finishes what is in flight and exits. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Starts `count` worker processes side by side. */
export async function startWorkers(count: number, configFile: string, redisUrl: string, nodeArgs: string[] = []): Promise<SigfireWorkerProcess[]> {
  return Promise.all(Array.from({ length: count }, () => SigfireWorkerProcess.start(configFile, redisUrl, nodeArgs)));
}

export async function stopWorkers(workers: SigfireWorkerProcess[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.stop()));
}
