/**
 * Major world cities with coordinates, for exports that name a sign-in's city and country but
 * give no coordinates (Duo's access_device.location). Travel checks need lat/lon; a city not in
 * this table gets none, and the event simply has no coordinates.
 *
 * Holds every city of the generator's world (src/generate/geo.ts, same coordinates to the
 * digit, so generated traffic round-trips through such exports) plus ~110 other large cities.
 *
 * US, Canadian and Australian rows carry their state (province) as the export spells it: a city
 * name can repeat within a country (Portland, Oregon and Portland, Maine, ~4,000 km apart), and a
 * small town may share a big city's name (Austin, Minnesota). Wrong coordinates would fake
 * Impossible Travel, so a state that does not match gives none.
 */
export interface Place {
  city: string;
  /** ISO-3166 alpha-2 */
  country: string;
  /** the state or province's English name ("Maine"); rows without one match any state */
  state?: string;
  lat: number;
  lon: number;
  /** other spellings exports use ("Bengaluru"); diacritics and case never matter */
  aliases?: readonly string[];
}

export const GAZETTEER: readonly Place[] = [
  // the generator's tenant cities (src/generate/geo.ts CITIES)
  { city: 'New York', country: 'US', state: 'New York', lat: 40.7128, lon: -74.006, aliases: ['New York City'] },
  { city: 'San Francisco', country: 'US', state: 'California', lat: 37.7749, lon: -122.4194 },
  { city: 'Austin', country: 'US', state: 'Texas', lat: 30.2672, lon: -97.7431 },
  { city: 'Chicago', country: 'US', state: 'Illinois', lat: 41.8781, lon: -87.6298 },
  { city: 'Seattle', country: 'US', state: 'Washington', lat: 47.6062, lon: -122.3321 },
  { city: 'Toronto', country: 'CA', state: 'Ontario', lat: 43.6532, lon: -79.3832 },
  { city: 'Vancouver', country: 'CA', state: 'British Columbia', lat: 49.2827, lon: -123.1207 },
  { city: 'London', country: 'GB', lat: 51.5074, lon: -0.1278 },
  { city: 'Manchester', country: 'GB', lat: 53.4808, lon: -2.2426 },
  { city: 'Dublin', country: 'IE', lat: 53.3498, lon: -6.2603 },
  { city: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405 },
  { city: 'Munich', country: 'DE', lat: 48.1351, lon: 11.582, aliases: ['München'] },
  { city: 'Paris', country: 'FR', lat: 48.8566, lon: 2.3522 },
  { city: 'Lyon', country: 'FR', lat: 45.764, lon: 4.8357 },
  { city: 'Amsterdam', country: 'NL', lat: 52.3676, lon: 4.9041 },
  { city: 'Madrid', country: 'ES', lat: 40.4168, lon: -3.7038 },
  { city: 'Stockholm', country: 'SE', lat: 59.3293, lon: 18.0686 },
  { city: 'Bangalore', country: 'IN', lat: 12.9716, lon: 77.5946, aliases: ['Bengaluru'] },
  { city: 'Pune', country: 'IN', lat: 18.5204, lon: 73.8567 },
  { city: 'Singapore', country: 'SG', lat: 1.3521, lon: 103.8198 },
  { city: 'Tokyo', country: 'JP', lat: 35.6762, lon: 139.6503 },
  { city: 'Osaka', country: 'JP', lat: 34.6937, lon: 135.5023 },
  { city: 'Sydney', country: 'AU', state: 'New South Wales', lat: -33.8688, lon: 151.2093 },
  { city: 'Melbourne', country: 'AU', state: 'Victoria', lat: -37.8136, lon: 144.9631 },
  { city: 'Sao Paulo', country: 'BR', lat: -23.5505, lon: -46.6333 },
  // the generator's foreign cities (FOREIGN_CITIES)
  { city: 'Lagos', country: 'NG', lat: 6.5244, lon: 3.3792 },
  { city: 'Hanoi', country: 'VN', lat: 21.0278, lon: 105.8342 },
  { city: 'Jakarta', country: 'ID', lat: -6.2088, lon: 106.8456 },
  { city: 'Buenos Aires', country: 'AR', lat: -34.6037, lon: -58.3816 },
  { city: 'Istanbul', country: 'TR', lat: 41.0082, lon: 28.9784 },
  { city: 'Almaty', country: 'KZ', lat: 43.222, lon: 76.8512 },
  { city: 'Lima', country: 'PE', lat: -12.0464, lon: -77.0428 },
  { city: 'Cairo', country: 'EG', lat: 30.0444, lon: 31.2357 },
  { city: 'Bangkok', country: 'TH', lat: 13.7563, lon: 100.5018 },
  { city: 'Manila', country: 'PH', lat: 14.5995, lon: 120.9842 },
  { city: 'Bogota', country: 'CO', lat: 4.711, lon: -74.0721 },
  { city: 'Nairobi', country: 'KE', lat: -1.2921, lon: 36.8219 },
  { city: 'Karachi', country: 'PK', lat: 24.8607, lon: 67.0011 },
  { city: 'Dhaka', country: 'BD', lat: 23.8103, lon: 90.4125 },
  { city: 'Santiago', country: 'CL', lat: -33.4489, lon: -70.6693 },
  { city: 'Casablanca', country: 'MA', lat: 33.5731, lon: -7.5898 },
  { city: 'Bucharest', country: 'RO', lat: 44.4268, lon: 26.1025 },
  { city: 'Sofia', country: 'BG', lat: 42.6977, lon: 23.3219 },
  { city: 'Tashkent', country: 'UZ', lat: 41.2995, lon: 69.2401 },
  { city: 'Tbilisi', country: 'GE', lat: 41.7151, lon: 44.8271 },
  { city: 'Ulaanbaatar', country: 'MN', lat: 47.8864, lon: 106.9057 },
  { city: 'Kathmandu', country: 'NP', lat: 27.7172, lon: 85.324 },
  { city: 'Colombo', country: 'LK', lat: 6.9271, lon: 79.8612 },
  { city: 'Accra', country: 'GH', lat: 5.6037, lon: -0.187 },
  { city: 'Addis Ababa', country: 'ET', lat: 8.9806, lon: 38.7578 },
  { city: 'Lusaka', country: 'ZM', lat: -15.3875, lon: 28.3228 },
  { city: 'Quito', country: 'EC', lat: -0.1807, lon: -78.4678 },
  { city: 'Montevideo', country: 'UY', lat: -34.9011, lon: -56.1645 },
  { city: 'Kuala Lumpur', country: 'MY', lat: 3.139, lon: 101.6869 },
  { city: 'Riyadh', country: 'SA', lat: 24.7136, lon: 46.6753 },
  // the generator's denied territories (DENIED_CITIES)
  { city: 'Pyongyang', country: 'KP', lat: 39.0392, lon: 125.7625 },
  { city: 'Tehran', country: 'IR', lat: 35.6892, lon: 51.389 },
  { city: 'Havana', country: 'CU', lat: 23.1136, lon: -82.3666 },
  { city: 'Damascus', country: 'SY', lat: 33.5138, lon: 36.2765 },
  { city: 'Moscow', country: 'RU', lat: 55.7558, lon: 37.6173 },
  { city: 'Minsk', country: 'BY', lat: 53.9006, lon: 27.559 },
  // North America
  { city: 'Los Angeles', country: 'US', state: 'California', lat: 34.0522, lon: -118.2437 },
  { city: 'Houston', country: 'US', state: 'Texas', lat: 29.7604, lon: -95.3698 },
  { city: 'Phoenix', country: 'US', state: 'Arizona', lat: 33.4484, lon: -112.074 },
  { city: 'Philadelphia', country: 'US', state: 'Pennsylvania', lat: 39.9526, lon: -75.1652 },
  { city: 'San Antonio', country: 'US', state: 'Texas', lat: 29.4241, lon: -98.4936 },
  { city: 'San Diego', country: 'US', state: 'California', lat: 32.7157, lon: -117.1611 },
  { city: 'Dallas', country: 'US', state: 'Texas', lat: 32.7767, lon: -96.797 },
  { city: 'San Jose', country: 'US', state: 'California', lat: 37.3382, lon: -121.8863 },
  { city: 'Boston', country: 'US', state: 'Massachusetts', lat: 42.3601, lon: -71.0589 },
  { city: 'Washington', country: 'US', state: 'District of Columbia', lat: 38.9072, lon: -77.0369, aliases: ['Washington D.C.', 'Washington, D.C.'] },
  { city: 'Atlanta', country: 'US', state: 'Georgia', lat: 33.749, lon: -84.388 },
  { city: 'Miami', country: 'US', state: 'Florida', lat: 25.7617, lon: -80.1918 },
  { city: 'Denver', country: 'US', state: 'Colorado', lat: 39.7392, lon: -104.9903 },
  { city: 'Detroit', country: 'US', state: 'Michigan', lat: 42.3314, lon: -83.0458 },
  { city: 'Minneapolis', country: 'US', state: 'Minnesota', lat: 44.9778, lon: -93.265 },
  { city: 'Portland', country: 'US', state: 'Oregon', lat: 45.5152, lon: -122.6784 },
  { city: 'Las Vegas', country: 'US', state: 'Nevada', lat: 36.1699, lon: -115.1398 },
  { city: 'Charlotte', country: 'US', state: 'North Carolina', lat: 35.2271, lon: -80.8431 },
  { city: 'Nashville', country: 'US', state: 'Tennessee', lat: 36.1627, lon: -86.7816 },
  { city: 'Salt Lake City', country: 'US', state: 'Utah', lat: 40.7608, lon: -111.891 },
  // city names that repeat within the US: the state chooses
  { city: 'Portland', country: 'US', state: 'Maine', lat: 43.6591, lon: -70.2568 },
  { city: 'Springfield', country: 'US', state: 'Illinois', lat: 39.7817, lon: -89.6501 },
  { city: 'Springfield', country: 'US', state: 'Massachusetts', lat: 42.1015, lon: -72.5898 },
  { city: 'Springfield', country: 'US', state: 'Missouri', lat: 37.209, lon: -93.2923 },
  { city: 'Columbus', country: 'US', state: 'Ohio', lat: 39.9612, lon: -82.9988 },
  { city: 'Columbus', country: 'US', state: 'Georgia', lat: 32.461, lon: -84.9877 },
  { city: 'Kansas City', country: 'US', state: 'Missouri', lat: 39.0997, lon: -94.5786 },
  { city: 'Kansas City', country: 'US', state: 'Kansas', lat: 39.1142, lon: -94.6275 },
  { city: 'Arlington', country: 'US', state: 'Virginia', lat: 38.8816, lon: -77.091 },
  { city: 'Arlington', country: 'US', state: 'Texas', lat: 32.7357, lon: -97.1081 },
  { city: 'Aurora', country: 'US', state: 'Colorado', lat: 39.7294, lon: -104.8319 },
  { city: 'Aurora', country: 'US', state: 'Illinois', lat: 41.7606, lon: -88.3201 },
  { city: 'Rochester', country: 'US', state: 'New York', lat: 43.1566, lon: -77.6088 },
  { city: 'Rochester', country: 'US', state: 'Minnesota', lat: 44.0121, lon: -92.4802 },
  { city: 'Montreal', country: 'CA', state: 'Quebec', lat: 45.5017, lon: -73.5673, aliases: ['Montréal'] },
  { city: 'Calgary', country: 'CA', state: 'Alberta', lat: 51.0447, lon: -114.0719 },
  { city: 'Ottawa', country: 'CA', state: 'Ontario', lat: 45.4215, lon: -75.6972 },
  { city: 'Mexico City', country: 'MX', lat: 19.4326, lon: -99.1332, aliases: ['Ciudad de México'] },
  { city: 'Guadalajara', country: 'MX', lat: 20.6597, lon: -103.3496 },
  { city: 'Monterrey', country: 'MX', lat: 25.6866, lon: -100.3161 },
  // Latin America
  { city: 'Rio de Janeiro', country: 'BR', lat: -22.9068, lon: -43.1729 },
  { city: 'Brasilia', country: 'BR', lat: -15.7939, lon: -47.8828 },
  { city: 'Caracas', country: 'VE', lat: 10.4806, lon: -66.9036 },
  { city: 'Medellin', country: 'CO', lat: 6.2442, lon: -75.5812 },
  { city: 'Guatemala City', country: 'GT', lat: 14.6349, lon: -90.5069 },
  { city: 'Panama City', country: 'PA', lat: 8.9824, lon: -79.5199 },
  { city: 'San Juan', country: 'PR', lat: 18.4655, lon: -66.1057 },
  // Europe
  { city: 'Rome', country: 'IT', lat: 41.9028, lon: 12.4964, aliases: ['Roma'] },
  { city: 'Milan', country: 'IT', lat: 45.4642, lon: 9.19, aliases: ['Milano'] },
  { city: 'Barcelona', country: 'ES', lat: 41.3874, lon: 2.1686 },
  { city: 'Lisbon', country: 'PT', lat: 38.7223, lon: -9.1393, aliases: ['Lisboa'] },
  { city: 'Brussels', country: 'BE', lat: 50.8503, lon: 4.3517 },
  { city: 'Vienna', country: 'AT', lat: 48.2082, lon: 16.3738, aliases: ['Wien'] },
  { city: 'Zurich', country: 'CH', lat: 47.3769, lon: 8.5417 },
  { city: 'Geneva', country: 'CH', lat: 46.2044, lon: 6.1432 },
  { city: 'Frankfurt', country: 'DE', lat: 50.1109, lon: 8.6821, aliases: ['Frankfurt am Main'] },
  { city: 'Hamburg', country: 'DE', lat: 53.5511, lon: 9.9937 },
  { city: 'Copenhagen', country: 'DK', lat: 55.6761, lon: 12.5683 },
  { city: 'Oslo', country: 'NO', lat: 59.9139, lon: 10.7522 },
  { city: 'Helsinki', country: 'FI', lat: 60.1699, lon: 24.9384 },
  { city: 'Warsaw', country: 'PL', lat: 52.2297, lon: 21.0122 },
  { city: 'Prague', country: 'CZ', lat: 50.0755, lon: 14.4378 },
  { city: 'Budapest', country: 'HU', lat: 47.4979, lon: 19.0402 },
  { city: 'Athens', country: 'GR', lat: 37.9838, lon: 23.7275 },
  { city: 'Kyiv', country: 'UA', lat: 50.4501, lon: 30.5234, aliases: ['Kiev'] },
  { city: 'Saint Petersburg', country: 'RU', lat: 59.9311, lon: 30.3609, aliases: ['St Petersburg'] },
  { city: 'Edinburgh', country: 'GB', lat: 55.9533, lon: -3.1883 },
  { city: 'Birmingham', country: 'GB', lat: 52.4862, lon: -1.8904 },
  { city: 'Rotterdam', country: 'NL', lat: 51.9244, lon: 4.4777 },
  { city: 'Belgrade', country: 'RS', lat: 44.7866, lon: 20.4489 },
  { city: 'Zagreb', country: 'HR', lat: 45.815, lon: 15.9819 },
  { city: 'Riga', country: 'LV', lat: 56.9496, lon: 24.1052 },
  { city: 'Vilnius', country: 'LT', lat: 54.6872, lon: 25.2797 },
  { city: 'Tallinn', country: 'EE', lat: 59.437, lon: 24.7536 },
  { city: 'Reykjavik', country: 'IS', lat: 64.1466, lon: -21.9426 },
  // Middle East and Africa
  { city: 'Dubai', country: 'AE', lat: 25.2048, lon: 55.2708 },
  { city: 'Abu Dhabi', country: 'AE', lat: 24.4539, lon: 54.3773 },
  { city: 'Doha', country: 'QA', lat: 25.2854, lon: 51.531 },
  { city: 'Tel Aviv', country: 'IL', lat: 32.0853, lon: 34.7818 },
  { city: 'Jerusalem', country: 'IL', lat: 31.7683, lon: 35.2137 },
  { city: 'Amman', country: 'JO', lat: 31.9454, lon: 35.9284 },
  { city: 'Beirut', country: 'LB', lat: 33.8938, lon: 35.5018 },
  { city: 'Baghdad', country: 'IQ', lat: 33.3152, lon: 44.3661 },
  { city: 'Jeddah', country: 'SA', lat: 21.4858, lon: 39.1925 },
  { city: 'Kuwait City', country: 'KW', lat: 29.3759, lon: 47.9774 },
  { city: 'Muscat', country: 'OM', lat: 23.588, lon: 58.3829 },
  { city: 'Johannesburg', country: 'ZA', lat: -26.2041, lon: 28.0473 },
  { city: 'Cape Town', country: 'ZA', lat: -33.9249, lon: 18.4241 },
  { city: 'Kinshasa', country: 'CD', lat: -4.4419, lon: 15.2663 },
  { city: 'Luanda', country: 'AO', lat: -8.839, lon: 13.2894 },
  { city: 'Dar es Salaam', country: 'TZ', lat: -6.7924, lon: 39.2083 },
  { city: 'Kampala', country: 'UG', lat: 0.3476, lon: 32.5825 },
  { city: 'Khartoum', country: 'SD', lat: 15.5007, lon: 32.5599 },
  { city: 'Algiers', country: 'DZ', lat: 36.7538, lon: 3.0588 },
  { city: 'Tunis', country: 'TN', lat: 36.8065, lon: 10.1815 },
  { city: 'Dakar', country: 'SN', lat: 14.7167, lon: -17.4677 },
  { city: 'Abidjan', country: 'CI', lat: 5.36, lon: -4.0083 },
  // Asia
  { city: 'Beijing', country: 'CN', lat: 39.9042, lon: 116.4074 },
  { city: 'Shanghai', country: 'CN', lat: 31.2304, lon: 121.4737 },
  { city: 'Guangzhou', country: 'CN', lat: 23.1291, lon: 113.2644 },
  { city: 'Shenzhen', country: 'CN', lat: 22.5431, lon: 114.0579 },
  { city: 'Chengdu', country: 'CN', lat: 30.5728, lon: 104.0668 },
  { city: 'Hong Kong', country: 'HK', lat: 22.3193, lon: 114.1694 },
  { city: 'Taipei', country: 'TW', lat: 25.033, lon: 121.5654 },
  { city: 'Seoul', country: 'KR', lat: 37.5665, lon: 126.978 },
  { city: 'Busan', country: 'KR', lat: 35.1796, lon: 129.0756 },
  { city: 'Mumbai', country: 'IN', lat: 19.076, lon: 72.8777, aliases: ['Bombay'] },
  { city: 'Delhi', country: 'IN', lat: 28.7041, lon: 77.1025, aliases: ['New Delhi'] },
  { city: 'Hyderabad', country: 'IN', lat: 17.385, lon: 78.4867 },
  { city: 'Chennai', country: 'IN', lat: 13.0827, lon: 80.2707 },
  { city: 'Kolkata', country: 'IN', lat: 22.5726, lon: 88.3639 },
  { city: 'Ahmedabad', country: 'IN', lat: 23.0225, lon: 72.5714 },
  { city: 'Lahore', country: 'PK', lat: 31.5204, lon: 74.3587 },
  { city: 'Islamabad', country: 'PK', lat: 33.6844, lon: 73.0479 },
  { city: 'Ho Chi Minh City', country: 'VN', lat: 10.8231, lon: 106.6297, aliases: ['Saigon'] },
  { city: 'Yangon', country: 'MM', lat: 16.8409, lon: 96.1735 },
  { city: 'Phnom Penh', country: 'KH', lat: 11.5564, lon: 104.9282 },
  { city: 'Nagoya', country: 'JP', lat: 35.1815, lon: 136.9066 },
  { city: 'Kabul', country: 'AF', lat: 34.5553, lon: 69.2075 },
  { city: 'Baku', country: 'AZ', lat: 40.4093, lon: 49.8671 },
  { city: 'Yerevan', country: 'AM', lat: 40.1792, lon: 44.4991 },
  { city: 'Novosibirsk', country: 'RU', lat: 55.0084, lon: 82.9357 },
  // Oceania
  { city: 'Brisbane', country: 'AU', state: 'Queensland', lat: -27.4698, lon: 153.0251 },
  { city: 'Perth', country: 'AU', state: 'Western Australia', lat: -31.9505, lon: 115.8605 },
  { city: 'Auckland', country: 'NZ', lat: -36.8485, lon: 174.7633 },
  { city: 'Wellington', country: 'NZ', lat: -41.2865, lon: 174.7762 },
];

const placesByKey = buildIndex();

function buildIndex(): Map<string, Place[]> {
  const index = new Map<string, Place[]>();
  for (const place of GAZETTEER) {
    for (const name of [place.city, ...(place.aliases ?? [])]) {
      const key = placeKey(name, place.country);
      index.set(key, [...(index.get(key) ?? []), place]);
    }
  }
  return index;
}

/** "São Paulo" and "sao  paulo" are one name. */
function normalName(name: string): string {
  return name.normalize('NFD').replace(/\p{Diacritic}/gu, '').trim().toLowerCase().replace(/\s+/g, ' ');
}

function placeKey(city: string, country: string): string {
  return `${normalName(city)}|${country.toUpperCase()}`;
}

/**
 * The coordinates of a city in a country (alpha-2); undefined when the city is not in the table,
 * when `state` names another state than the row's, or when the name repeats in the country and
 * no state (or no matching one) chooses between the rows.
 */
export function cityCoordinates(city: string | undefined, country: string | undefined, state?: string): { lat: number; lon: number } | undefined {
  if (!city || !country) return undefined;
  const named = placesByKey.get(placeKey(city, country)) ?? [];
  const matching = state ? named.filter((place) => place.state === undefined || normalName(place.state) === normalName(state)) : named;
  const place = matching.length === 1 ? matching[0]! : undefined;
  return place && { lat: place.lat, lon: place.lon };
}
