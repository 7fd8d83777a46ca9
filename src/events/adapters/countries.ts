/**
 * Country names as identity providers print them ("United States", "Korea, Republic of")
 * to ISO-3166 alpha-2 codes and back. Built from the runtime's own region names (ICU), so
 * every current code is covered, plus the spellings exports use that ICU does not.
 */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

const ALIASES: Record<string, string> = {
  'united states of america': 'US',
  usa: 'US',
  'united kingdom of great britain and northern ireland': 'GB',
  uk: 'GB',
  'great britain': 'GB',
  'russian federation': 'RU',
  'korea, republic of': 'KR',
  'republic of korea': 'KR',
  'south korea': 'KR',
  "korea, democratic people's republic of": 'KP',
  'north korea': 'KP',
  'iran, islamic republic of': 'IR',
  iran: 'IR',
  'viet nam': 'VN',
  vietnam: 'VN',
  'czech republic': 'CZ',
  turkey: 'TR',
  'türkiye': 'TR',
  'syrian arab republic': 'SY',
  'taiwan, province of china': 'TW',
  'hong kong sar china': 'HK',
  'macao sar china': 'MO',
  "lao people's democratic republic": 'LA',
  'moldova, republic of': 'MD',
  'tanzania, united republic of': 'TZ',
  'venezuela, bolivarian republic of': 'VE',
  'bolivia, plurinational state of': 'BO',
  'the netherlands': 'NL',
  'holland': 'NL',
  'ivory coast': 'CI',
  "cote d'ivoire": 'CI',
  'congo, the democratic republic of the': 'CD',
  'macedonia': 'MK',
  'palestine, state of': 'PS',
  'brunei darussalam': 'BN',
  'hong kong': 'HK',
  macau: 'MO',
  macao: 'MO',
  russia: 'RU',
};

const DEPRECATED = new Set(['SU', 'DD', 'YU', 'ZR', 'TP', 'BU', 'CS', 'FX', 'NT', 'QO', 'EU', 'EZ', 'UN', 'XA', 'XB', 'ZZ']);

const codeByName = buildCodeByName();

function buildCodeByName(): Map<string, string> {
  const map = new Map<string, string>();
  const A = 'A'.charCodeAt(0);
  for (let i = 0; i < 26; i++) {
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      const name = regionNames.of(code);
      // ICU echoes unknown codes back unchanged; deprecated codes (SU, DD, ...) must not win a name
      if (name && name !== code && !DEPRECATED.has(code) && !map.has(normalise(name))) map.set(normalise(name), code);
    }
  }
  for (const [name, code] of Object.entries(ALIASES)) map.set(normalise(name), code);
  return map;
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** "United States" -> "US"; an alpha-2 code is returned upper-cased; undefined when unknown. */
export function countryCode(nameOrCode: string | undefined): string | undefined {
  if (!nameOrCode) return undefined;
  const trimmed = nameOrCode.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    return regionNames.of(code) !== code && !DEPRECATED.has(code) ? code : undefined;
  }
  return codeByName.get(normalise(trimmed));
}

/** "US" -> "United States" (the name Okta and Duo print). */
export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}
