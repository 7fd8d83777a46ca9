import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a bigint plus its family, so IPv4 and IPv6 CIDRs share one matcher. */
export interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

export function parseIp(text: string): ParsedIp | undefined {
  if (isIPv4(text)) {
    const parts = text.split('.').map(Number);
    return { family: 4, value: BigInt(((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) };
  }
  if (isIPv6(text)) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
    if (mapped) return parseIp(mapped[1]!);
    return { family: 6, value: ipv6ToBigInt(text) };
  }
  return undefined;
}

function ipv6ToBigInt(text: string): bigint {
  let head = text;
  let tail = '';
  const zoneless = text.split('%')[0]!;
  if (zoneless.includes('::')) [head, tail] = zoneless.split('::') as [string, string];
  else head = zoneless;
  const expand = (part: string): number[] => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        const v4 = parseIp(group)!.value;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else groups.push(parseInt(group, 16));
    }
    return groups;
  };
  const headGroups = expand(head);
  const tailGroups = expand(tail);
  const zeros = new Array(8 - headGroups.length - tailGroups.length).fill(0) as number[];
  return [...headGroups, ...zeros, ...tailGroups].reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

export function parseCidr(text: string): Cidr | undefined {
  const parts = text.split('/');
  if (parts.length > 2) return undefined;
  const [address, prefixText] = parts;
  const ip = parseIp(address ?? '');
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits || (prefixText !== undefined && !/^\d+$/.test(prefixText))) return undefined;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { family: ip.family, network: ip.value & mask, prefix };
}

export function cidrContains(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  const mask = cidr.prefix === 0 ? 0n : ((1n << BigInt(cidr.prefix)) - 1n) << BigInt(bits - cidr.prefix);
  return (ip.value & mask) === cidr.network;
}

export function looksLikeIpOrCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}
