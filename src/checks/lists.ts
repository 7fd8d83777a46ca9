import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cidrContains, parseCidr, parseIp, type Cidr } from '../util/ip.js';

/** One list from rules/lists/NAME.txt: plain entries (case-insensitive) and, for IP lists, CIDRs. */
export class NamedList {
  private readonly entries = new Set<string>();
  private readonly cidrs: Cidr[] = [];

  constructor(
    readonly name: string,
    readonly file: string,
    lines: string[],
    readonly errors: Array<{ line: number; message: string }> = [],
  ) {
    lines.forEach((raw, index) => {
      const entry = raw.replace(/#.*/, '').trim();
      if (entry === '') return;
      if (/^[0-9a-f:.]+\/\d+$/i.test(entry)) {
        const cidr = parseCidr(entry);
        if (cidr) this.cidrs.push(cidr);
        else this.errors.push({ line: index + 1, message: `invalid CIDR ${JSON.stringify(entry)}` });
        return;
      }
      this.entries.add(entry.toLowerCase());
    });
  }

  get size(): number {
    return this.entries.size + this.cidrs.length;
  }

  has(value: unknown): boolean {
    if (Array.isArray(value)) return value.some((item) => this.has(item));
    if (typeof value !== 'string' && typeof value !== 'number') return false;
    const text = String(value);
    if (this.entries.has(text.toLowerCase())) return true;
    if (this.cidrs.length === 0) return false;
    const ip = parseIp(text);
    return ip !== undefined && this.cidrs.some((cidr) => cidrContains(cidr, ip));
  }
}

export class ListStore {
  private readonly lists = new Map<string, NamedList>();

  add(list: NamedList): void {
    this.lists.set(list.name, list);
  }

  get(name: string): NamedList | undefined {
    return this.lists.get(name);
  }

  names(): string[] {
    return [...this.lists.keys()].sort();
  }

  has(listName: string, value: unknown): boolean {
    const list = this.lists.get(listName);
    if (!list) throw new Error(`unknown list ${JSON.stringify(listName)} (expected a file rules/lists/${listName}.txt)`);
    return list.has(value);
  }
}

/** Loads every `*.txt` in `dir`; a missing dir is an empty store. */
export async function loadLists(dir: string): Promise<ListStore> {
  const store = new ListStore();
  let files: string[];
  try {
    files = (await readdir(dir)).filter((name) => name.endsWith('.txt')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return store;
    throw error;
  }
  for (const name of files) {
    const file = join(dir, name);
    const text = await readFile(file, 'utf8');
    store.add(new NamedList(name.slice(0, -'.txt'.length), file, text.split(/\r?\n/)));
  }
  return store;
}
