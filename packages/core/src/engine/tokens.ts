/** Token of the parsed core config (`CoreConfig`). */
export const TrancheConfig = Symbol.for('tranche.TrancheConfig');
/** Token of the venue selected for trading (one of the multi-bound `Venue`s). */
export const ActiveVenue = Symbol.for('tranche.ActiveVenue');
