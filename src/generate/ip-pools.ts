/**
 * Address pools, all from ranges reserved for documentation, benchmarking or shared
 * address space, so generated traffic never names a real network:
 * - people: 100.64.0.0/10 (each user, and each trip, gets addresses of its own, so benign
 *   users never share an IP: a shared IP failing for many accounts looks like an attack)
 * - servers of service accounts: 198.51.100.0/24
 * - attackers: 198.18.0.0/15 (not on any threat list: fresh infrastructure)
 * - known-bad addresses: 203.0.113.0/24 (the range rules/lists/threat-ips.txt lists)
 */
export class AddressPool {
  private used = 0;

  constructor(
    readonly name: string,
    private readonly base: number,
    private readonly size: number,
  ) {}

  /** The next unused address. */
  next(): string {
    return this.at(this.used++);
  }

  /**
   * The n-th host address of the pool (wrapping around), skipping .0 and .255 so every
   * address looks like a host. Pure: attack episodes use it to stay reproducible alone.
   */
  at(n: number): string {
    const hostsPerBlock = 254;
    const offset = (Math.floor(n / hostsPerBlock) * 256 + (n % hostsPerBlock) + 1) % this.size;
    return formatIpv4((this.base + offset) >>> 0);
  }
}

export interface AddressPools {
  people: AddressPool;
  servers: AddressPool;
  attackers: AddressPool;
  threats: AddressPool;
}

export function createAddressPools(): AddressPools {
  return {
    people: new AddressPool('people', parseIpv4('100.64.0.0'), 1 << 22),
    servers: new AddressPool('servers', parseIpv4('198.51.100.0'), 256),
    attackers: new AddressPool('attackers', parseIpv4('198.18.0.0'), 1 << 17),
    threats: new AddressPool('threats', parseIpv4('203.0.113.0'), 256),
  };
}

function parseIpv4(text: string): number {
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}
