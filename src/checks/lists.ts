import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cidrContains, parseCidr, parseIp, type Cidr, type ParsedIp } from '../util/ip.js';

/** One key per address whatever its spelling ("2001:DB8::1", "2001:db8:0:0:0:0:0:1", "::ffff:192.0.2.1"). */
const addressKey = (ip: ParsedIp) => `${ip.family}:${ip.value}`;

/** One list from rules/lists/NAME.txt: plain entries (case-insensitive) and, for IP lists, CIDRs. */
export class NamedList {
  private readonly entries = new Set<string>();
  private readonly addresses = new Set<string>();
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
      const ip = parseIp(entry);
      if (ip) {
        this.addresses.add(addressKey(ip));
        return;
      }
      if (/^\d+\.\d+\.\d+\.\d+$/.test(entry)) {
        this.errors.push({ line: index + 1, message: `invalid IP address ${JSON.stringify(entry)}` });
        return;
      }
      this.entries.add(entry.toLowerCase());
    });
  }

  get size(): number {
    return this.entries.size + this.addresses.size + this.cidrs.length;
  }

  has(value: unknown): boolean {
    if (Array.isArray(value)) return value.some((item) => this.has(item));
    if (typeof value !== 'string' && typeof value !== 'number') return false;
    const text = String(value);
    if (this.entries.has(text.toLowerCase())) return true;
    if (this.addresses.size === 0 && this.cidrs.length === 0) return false;
    const ip = parseIp(text);
    if (ip === undefined) return false;
    return this.addresses.has(addressKey(ip)) || this.cidrs.some((cidr) => cidrContains(cidr, ip));
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
