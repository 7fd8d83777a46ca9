/**
 * The browser a user agent string names, as "Name Major" ("Chrome 131", "Edge 131",
 * "Internet Explorer 11", "Mobile Safari 18", "python-requests 2.32"): the form the
 * blocked-browsers list uses. Used by adapters whose export has only the raw user agent
 * (Okta's client.userAgent.browser has no version). Undefined when nothing is recognised.
 */
export function browserFromUserAgent(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  for (const [pattern, name] of BROWSER_PATTERNS) {
    const match = pattern.exec(userAgent);
    if (match) return `${name} ${match[1]}`;
  }
  // a scripted client: "python-requests/2.32.3" -> "python-requests 2.32"
  const client = /^([A-Za-z][\w.-]*)\/(\d+(?:\.\d+)?)/.exec(userAgent);
  if (client && !userAgent.startsWith('Mozilla/')) return `${client[1]} ${client[2]}`;
  return undefined;
}

// Order matters: Edge and Chrome both say "Chrome/", Chrome and Safari both say "Safari/".
const BROWSER_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/HeadlessChrome\/(\d+)/, 'HeadlessChrome'],
  [/Chrome\/(\d+)[\d.]* Mobile/, 'Chrome Mobile'],
  [/Chrome\/(\d+)/, 'Chrome'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/MSIE (\d+)/, 'Internet Explorer'],
  [/Trident\/.*rv:(\d+)/, 'Internet Explorer'],
  [/Version\/(\d+)[\d.]* Mobile\/\S+ Safari\//, 'Mobile Safari'],
  [/Version\/(\d+)[\d.]* Safari\//, 'Safari'],
];
