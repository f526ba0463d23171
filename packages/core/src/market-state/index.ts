// Market features computed incrementally over rolling windows (filled in by the market-state work).
export {};
