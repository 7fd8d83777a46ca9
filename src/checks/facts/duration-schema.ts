import { z } from 'zod';
import { isDuration } from '../../util/duration.js';

export const DurationSchema = z
  .union([z.string(), z.number()])
  .refine(isDuration, { message: 'expected a duration such as "30s", "5m", "24h", "7d"' });
