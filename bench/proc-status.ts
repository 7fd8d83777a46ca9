import { readFile } from 'node:fs/promises';

/** VmRSS and VmHWM (peak) of a live process, in KiB, from /proc/<pid>/status (Linux). */
export async function readProcMemory(pid: number): Promise<{ rssKb: number; hwmKb: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined; // gone already, or not Linux
  }
}
