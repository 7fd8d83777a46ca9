import { describe, expect, it } from 'vitest';
import { cidrContains, looksLikeIpOrCidr, parseCidr, parseIp } from '../src/util/ip.js';

const inside = (cidr: string, ip: string) => cidrContains(parseCidr(cidr)!, parseIp(ip)!);

describe('parseIp', () => {
  it('parses IPv4 to its 32-bit value', () => {
    expect(parseIp('0.0.0.0')).toEqual({ family: 4, value: 0n });
    expect(parseIp('1.2.3.4')).toEqual({ family: 4, value: 0x01020304n });
    expect(parseIp('255.255.255.255')).toEqual({ family: 4, value: 0xffffffffn });
    expect(parseIp('128.0.0.1')).toEqual({ family: 4, value: 0x80000001n });
  });

  it('parses IPv6, compressed or not, with an embedded IPv4 tail or a zone', () => {
    expect(parseIp('::')).toEqual({ family: 6, value: 0n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('2001:db8::1')).toEqual({ family: 6, value: (0x20010db8n << 96n) | 1n });
    expect(parseIp('2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual(parseIp('2001:db8::1'));
    expect(parseIp('2001:DB8::1')).toEqual(parseIp('2001:db8::1'));
    expect(parseIp('1::')).toEqual({ family: 6, value: 1n << 112n });
    expect(parseIp('64:ff9b::192.0.2.1')).toEqual({ family: 6, value: (0x64ff9bn << 96n) | 0xc0000201n });
    expect(parseIp('fe80::1%eth0')).toEqual(parseIp('fe80::1'));
    expect(parseIp('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual({ family: 6, value: (1n << 128n) - 1n });
  });

  it('reads IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(parseIp('::ffff:203.0.113.5')).toEqual(parseIp('203.0.113.5'));
    expect(parseIp('::FFFF:203.0.113.5')).toEqual(parseIp('203.0.113.5'));
  });

  it('rejects what is not an address', () => {
    for (const text of ['', 'localhost', '1.2.3', '1.2.3.256', '01.2.3.4', '1.2.3.4 ', '1.2.3.4/32', '2001:db8::1::2', 'gggg::1', '12345::']) {
      expect(parseIp(text), text).toBeUndefined();
    }
  });
});

describe('parseCidr', () => {
  it('masks the network and keeps the prefix', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, network: 0x0a000000n, prefix: 8 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 4, network: 0n, prefix: 0 });
    expect(parseCidr('2001:db8:dead:beef::/48')).toEqual({ family: 6, network: 0x20010db8deadn << 80n, prefix: 48 });
  });

  it('treats a bare address as a single-host range', () => {
    expect(parseCidr('192.0.2.66')).toEqual({ family: 4, network: 0xc0000242n, prefix: 32 });
    expect(parseCidr('2001:db8::13')).toEqual({ family: 6, network: (0x20010db8n << 96n) | 0x13n, prefix: 128 });
  });

  it('rejects bad prefixes and bad addresses', () => {
    for (const text of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/+8', '10.0.0.0/8.5', '10.0.0.0/ 8', '2001:db8::/129', '10.0.0.256/8', 'x/8', '/8', '10.0.0.0/8/9']) {
      expect(parseCidr(text), text).toBeUndefined();
    }
  });

  it('looksLikeIpOrCidr agrees with parseCidr', () => {
    expect(looksLikeIpOrCidr('10.0.0.0/8')).toBe(true);
    expect(looksLikeIpOrCidr('2001:db8::/32')).toBe(true);
    expect(looksLikeIpOrCidr('1.2.3.4')).toBe(true);
    expect(looksLikeIpOrCidr('example.com')).toBe(false);
    expect(looksLikeIpOrCidr('10.0.0.0/40')).toBe(false);
  });
});

describe('cidrContains', () => {
  it('includes both ends of an IPv4 range and nothing outside it', () => {
    expect(inside('203.0.113.0/24', '203.0.113.0')).toBe(true);
    expect(inside('203.0.113.0/24', '203.0.113.255')).toBe(true);
    expect(inside('203.0.113.0/24', '203.0.112.255')).toBe(false);
    expect(inside('203.0.113.0/24', '203.0.114.0')).toBe(false);
  });

  it('handles odd prefixes, /0 and /32', () => {
    expect(inside('10.0.0.0/9', '10.127.255.255')).toBe(true);
    expect(inside('10.0.0.0/9', '10.128.0.0')).toBe(false);
    expect(inside('0.0.0.0/0', '255.255.255.255')).toBe(true);
    expect(inside('192.0.2.66/32', '192.0.2.66')).toBe(true);
    expect(inside('192.0.2.66/32', '192.0.2.67')).toBe(false);
  });

  it('matches IPv6 ranges', () => {
    expect(inside('2001:db8:dead::/48', '2001:db8:dead:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(inside('2001:db8:dead::/48', '2001:db8:deae::')).toBe(false);
    expect(inside('::/0', '2001:db8::1')).toBe(true);
    expect(inside('2001:db8::/127', '2001:db8::1')).toBe(true);
    expect(inside('2001:db8::/127', '2001:db8::2')).toBe(false);
  });

  it('never matches across families', () => {
    expect(inside('::/0', '1.2.3.4')).toBe(false);
    expect(inside('0.0.0.0/0', '::1')).toBe(false);
    // an IPv4-mapped address is an IPv4 address, so IPv4 ranges match it
    expect(inside('203.0.113.0/24', '::ffff:203.0.113.9')).toBe(true);
  });
});
