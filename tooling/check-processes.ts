// How many check processes a run starts at most, at once (Vitest's maxWorkers for the checks):
// the checks' config and `npm test`, which prepares a database for each before Vitest has read
// that config, both take it from here.
export const CHECK_PROCESSES = 4;
