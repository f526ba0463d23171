import { z } from 'zod';

const MINUTES_PER_DAY = 1_440;
const minuteWeights = z.array(z.number().finite().nonnegative()).length(MINUTES_PER_DAY);

/**
 * A volume profile: the relative market volume of each UTC minute of the day (1440
 * weights, any scale), optionally one row per UTC day of the week (0 = Sunday), as
 * built from historical 1-minute candles. Only the shape matters, not the level.
 */
export const VolumeProfileSchema = z
  .object({
    /** What the profile was built from. */
    description: z.string(),
    /** 1440 weights, minute 0 = 00:00 UTC. */
    minuteOfDay: minuteWeights,
    /** Seven rows of 1440 weights, Sunday first. */
    dayOfWeek: z.array(minuteWeights).length(7).optional(),
  })
  .strict();
/** A volume profile by minute of the day (and day of the week). */
export type VolumeProfile = z.infer<typeof VolumeProfileSchema>;
