import { VolumeProfileSchema, type VolumeProfile } from '@tranche/core';
import profileJson from './volume-profile.json' with { type: 'json' };

/**
 * The bundled 24h volume profile: Binance BTC/USDT spot 1-minute volume over 60 UTC
 * days (2022-11 and 2024-11), by minute of the day and by weekday, made by
 * `scripts/build-volume-profile.mjs` (see the README). Validated once when loaded.
 */
export const BUNDLED_VOLUME_PROFILE: VolumeProfile = VolumeProfileSchema.parse(profileJson);
