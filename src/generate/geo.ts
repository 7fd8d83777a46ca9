/**
 * The built-in world of the generator: where the tenant's people live (CITIES) and a few
 * places they never are (FOREIGN_CITIES, DENIED_CITIES), used by attack episodes.
 * UTC offsets are standard time; daylight saving is ignored (office hours stay plausible).
 */
export interface City {
  city: string;
  country: string;
  lat: number;
  lon: number;
  utcOffsetHours: number;
  /** relative share of the tenant's users living there */
  weight: number;
}

export const CITIES: readonly City[] = [
  { city: 'New York', country: 'US', lat: 40.7128, lon: -74.006, utcOffsetHours: -5, weight: 10 },
  { city: 'San Francisco', country: 'US', lat: 37.7749, lon: -122.4194, utcOffsetHours: -8, weight: 8 },
  { city: 'Austin', country: 'US', lat: 30.2672, lon: -97.7431, utcOffsetHours: -6, weight: 6 },
  { city: 'Chicago', country: 'US', lat: 41.8781, lon: -87.6298, utcOffsetHours: -6, weight: 5 },
  { city: 'Seattle', country: 'US', lat: 47.6062, lon: -122.3321, utcOffsetHours: -8, weight: 4 },
  { city: 'Toronto', country: 'CA', lat: 43.6532, lon: -79.3832, utcOffsetHours: -5, weight: 4 },
  { city: 'Vancouver', country: 'CA', lat: 49.2827, lon: -123.1207, utcOffsetHours: -8, weight: 2 },
  { city: 'London', country: 'GB', lat: 51.5074, lon: -0.1278, utcOffsetHours: 0, weight: 7 },
  { city: 'Manchester', country: 'GB', lat: 53.4808, lon: -2.2426, utcOffsetHours: 0, weight: 2 },
  { city: 'Dublin', country: 'IE', lat: 53.3498, lon: -6.2603, utcOffsetHours: 0, weight: 3 },
  { city: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405, utcOffsetHours: 1, weight: 4 },
  { city: 'Munich', country: 'DE', lat: 48.1351, lon: 11.582, utcOffsetHours: 1, weight: 3 },
  { city: 'Paris', country: 'FR', lat: 48.8566, lon: 2.3522, utcOffsetHours: 1, weight: 4 },
  { city: 'Lyon', country: 'FR', lat: 45.764, lon: 4.8357, utcOffsetHours: 1, weight: 1 },
  { city: 'Amsterdam', country: 'NL', lat: 52.3676, lon: 4.9041, utcOffsetHours: 1, weight: 3 },
  { city: 'Madrid', country: 'ES', lat: 40.4168, lon: -3.7038, utcOffsetHours: 1, weight: 2 },
  { city: 'Stockholm', country: 'SE', lat: 59.3293, lon: 18.0686, utcOffsetHours: 1, weight: 2 },
  { city: 'Bangalore', country: 'IN', lat: 12.9716, lon: 77.5946, utcOffsetHours: 5.5, weight: 6 },
  { city: 'Pune', country: 'IN', lat: 18.5204, lon: 73.8567, utcOffsetHours: 5.5, weight: 2 },
  { city: 'Singapore', country: 'SG', lat: 1.3521, lon: 103.8198, utcOffsetHours: 8, weight: 3 },
  { city: 'Tokyo', country: 'JP', lat: 35.6762, lon: 139.6503, utcOffsetHours: 9, weight: 3 },
  { city: 'Osaka', country: 'JP', lat: 34.6937, lon: 135.5023, utcOffsetHours: 9, weight: 1 },
  { city: 'Sydney', country: 'AU', lat: -33.8688, lon: 151.2093, utcOffsetHours: 10, weight: 3 },
  { city: 'Melbourne', country: 'AU', lat: -37.8136, lon: 144.9631, utcOffsetHours: 10, weight: 2 },
  { city: 'Sao Paulo', country: 'BR', lat: -23.5505, lon: -46.6333, utcOffsetHours: -3, weight: 3 },
];

/** Places where no user lives, each in its own country: a sign-in from one is new to the tenant. */
export const FOREIGN_CITIES: readonly City[] = [
  { city: 'Lagos', country: 'NG', lat: 6.5244, lon: 3.3792, utcOffsetHours: 1, weight: 1 },
  { city: 'Hanoi', country: 'VN', lat: 21.0278, lon: 105.8342, utcOffsetHours: 7, weight: 1 },
  { city: 'Jakarta', country: 'ID', lat: -6.2088, lon: 106.8456, utcOffsetHours: 7, weight: 1 },
  { city: 'Buenos Aires', country: 'AR', lat: -34.6037, lon: -58.3816, utcOffsetHours: -3, weight: 1 },
  { city: 'Istanbul', country: 'TR', lat: 41.0082, lon: 28.9784, utcOffsetHours: 3, weight: 1 },
  { city: 'Almaty', country: 'KZ', lat: 43.222, lon: 76.8512, utcOffsetHours: 5, weight: 1 },
  { city: 'Lima', country: 'PE', lat: -12.0464, lon: -77.0428, utcOffsetHours: -5, weight: 1 },
  { city: 'Cairo', country: 'EG', lat: 30.0444, lon: 31.2357, utcOffsetHours: 2, weight: 1 },
  { city: 'Bangkok', country: 'TH', lat: 13.7563, lon: 100.5018, utcOffsetHours: 7, weight: 1 },
  { city: 'Manila', country: 'PH', lat: 14.5995, lon: 120.9842, utcOffsetHours: 8, weight: 1 },
  { city: 'Bogota', country: 'CO', lat: 4.711, lon: -74.0721, utcOffsetHours: -5, weight: 1 },
  { city: 'Nairobi', country: 'KE', lat: -1.2921, lon: 36.8219, utcOffsetHours: 3, weight: 1 },
  { city: 'Karachi', country: 'PK', lat: 24.8607, lon: 67.0011, utcOffsetHours: 5, weight: 1 },
  { city: 'Dhaka', country: 'BD', lat: 23.8103, lon: 90.4125, utcOffsetHours: 6, weight: 1 },
  { city: 'Santiago', country: 'CL', lat: -33.4489, lon: -70.6693, utcOffsetHours: -4, weight: 1 },
  { city: 'Casablanca', country: 'MA', lat: 33.5731, lon: -7.5898, utcOffsetHours: 1, weight: 1 },
  { city: 'Bucharest', country: 'RO', lat: 44.4268, lon: 26.1025, utcOffsetHours: 2, weight: 1 },
  { city: 'Sofia', country: 'BG', lat: 42.6977, lon: 23.3219, utcOffsetHours: 2, weight: 1 },
  { city: 'Tashkent', country: 'UZ', lat: 41.2995, lon: 69.2401, utcOffsetHours: 5, weight: 1 },
  { city: 'Tbilisi', country: 'GE', lat: 41.7151, lon: 44.8271, utcOffsetHours: 4, weight: 1 },
  { city: 'Ulaanbaatar', country: 'MN', lat: 47.8864, lon: 106.9057, utcOffsetHours: 8, weight: 1 },
  { city: 'Kathmandu', country: 'NP', lat: 27.7172, lon: 85.324, utcOffsetHours: 5.75, weight: 1 },
  { city: 'Colombo', country: 'LK', lat: 6.9271, lon: 79.8612, utcOffsetHours: 5.5, weight: 1 },
  { city: 'Accra', country: 'GH', lat: 5.6037, lon: -0.187, utcOffsetHours: 0, weight: 1 },
  { city: 'Addis Ababa', country: 'ET', lat: 8.9806, lon: 38.7578, utcOffsetHours: 3, weight: 1 },
  { city: 'Lusaka', country: 'ZM', lat: -15.3875, lon: 28.3228, utcOffsetHours: 2, weight: 1 },
  { city: 'Quito', country: 'EC', lat: -0.1807, lon: -78.4678, utcOffsetHours: -5, weight: 1 },
  { city: 'Montevideo', country: 'UY', lat: -34.9011, lon: -56.1645, utcOffsetHours: -3, weight: 1 },
  { city: 'Kuala Lumpur', country: 'MY', lat: 3.139, lon: 101.6869, utcOffsetHours: 8, weight: 1 },
  { city: 'Riyadh', country: 'SA', lat: 24.7136, lon: 46.6753, utcOffsetHours: 3, weight: 1 },
];

/** Sanctioned territories (those of rules/lists/denied-territories.txt): sign-ins from here are denied. */
export const DENIED_CITIES: readonly City[] = [
  { city: 'Pyongyang', country: 'KP', lat: 39.0392, lon: 125.7625, utcOffsetHours: 9, weight: 1 },
  { city: 'Tehran', country: 'IR', lat: 35.6892, lon: 51.389, utcOffsetHours: 3.5, weight: 1 },
  { city: 'Havana', country: 'CU', lat: 23.1136, lon: -82.3666, utcOffsetHours: -5, weight: 1 },
  { city: 'Damascus', country: 'SY', lat: 33.5138, lon: 36.2765, utcOffsetHours: 3, weight: 1 },
  { city: 'Moscow', country: 'RU', lat: 55.7558, lon: 37.6173, utcOffsetHours: 3, weight: 1 },
  { city: 'Minsk', country: 'BY', lat: 53.9006, lon: 27.559, utcOffsetHours: 3, weight: 1 },
];

const EARTH_RADIUS_KM = 6371;

export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function geoOf(city: City): { country: string; city: string; lat: number; lon: number } {
  return { country: city.country, city: city.city, lat: city.lat, lon: city.lon };
}
