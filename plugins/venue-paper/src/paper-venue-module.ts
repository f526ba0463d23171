import { ContainerModule } from 'inversify';
import { Venue } from '@tranche/core';
import { PaperVenue } from './paper-venue.js';

/**
 * Bindings of the venue-paper plugin: `PaperVenue` to itself (one per container) and
 * the `Venue` contract to it, so an adopter can `rebind(PaperVenue)` alone.
 */
export const paperVenueModule = new ContainerModule(({ bind }) => {
  bind(PaperVenue).toSelf().inSingletonScope();
  bind(Venue).toService(PaperVenue);
});
