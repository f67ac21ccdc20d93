// Types of tooling/server-variables.mjs.
export const SERVER_VARIABLES: readonly string[];
