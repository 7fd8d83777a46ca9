/** A problem with what was asked for (too few events for the attacks, ...): worth one line to the user. */
export class GenerateOptionsError extends Error {}
