import type { Random } from './random.js';

/** A device a person signs in from: the browser string is what posture checks read. */
export interface Device {
  deviceId: string;
  kind: 'laptop' | 'phone' | 'server';
  userAgent: string;
  browser: string;
}

interface DeviceModel {
  kind: Device['kind'];
  browser: string;
  userAgent: string;
}

const LAPTOPS: ReadonlyArray<readonly [DeviceModel, number]> = [
  [{ kind: 'laptop', browser: 'Chrome 131', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' }, 30],
  [{ kind: 'laptop', browser: 'Chrome 131', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' }, 25],
  [{ kind: 'laptop', browser: 'Edge 131', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0' }, 20],
  [{ kind: 'laptop', browser: 'Safari 18', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' }, 12],
  [{ kind: 'laptop', browser: 'Firefox 133', userAgent: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }, 8],
  [{ kind: 'laptop', browser: 'Firefox 133', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0' }, 5],
];

const PHONES: ReadonlyArray<readonly [DeviceModel, number]> = [
  [{ kind: 'phone', browser: 'Mobile Safari 18', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1' }, 55],
  [{ kind: 'phone', browser: 'Chrome Mobile 131', userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36' }, 45],
];

/** The browser posture checks flag as unsupported. */
const LEGACY_LAPTOP: DeviceModel = {
  kind: 'laptop',
  browser: 'Internet Explorer 11',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
};

const SERVER_CLIENTS: readonly DeviceModel[] = [
  { kind: 'server', browser: 'python-requests 2.32', userAgent: 'python-requests/2.32.3' },
  { kind: 'server', browser: 'Go-http-client 1.1', userAgent: 'Go-http-client/1.1' },
  { kind: 'server', browser: 'Java 17.0', userAgent: 'Java/17.0.12' },
];

/** What attackers' tooling looks like: scripted clients and stock headless browsers. */
const ATTACKER_CLIENTS: readonly DeviceModel[] = [
  { kind: 'laptop', browser: 'Chrome 120', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36' },
  { kind: 'laptop', browser: 'HeadlessChrome 129', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/129.0.0.0 Safari/537.36' },
  { kind: 'server', browser: 'python-requests 2.31', userAgent: 'python-requests/2.31.0' },
  { kind: 'laptop', browser: 'Firefox 115', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0' },
];

function withId(model: DeviceModel, random: Random): Device {
  return { deviceId: `dev-${random.hex(12)}`, kind: model.kind, userAgent: model.userAgent, browser: model.browser };
}

export function personalDevices(random: Random, legacyBrowser: boolean): Device[] {
  const laptop = withId(legacyBrowser ? LEGACY_LAPTOP : random.weighted(LAPTOPS), random);
  return random.chance(0.75) ? [laptop, withId(random.weighted(PHONES), random)] : [laptop];
}

export function serverDevice(random: Random): Device {
  return withId(random.pick(SERVER_CLIENTS), random);
}

export function attackerDevice(random: Random): Device {
  return withId(random.pick(ATTACKER_CLIENTS), random);
}
