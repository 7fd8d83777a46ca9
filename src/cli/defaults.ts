/** Paths are relative to the working directory, as a user types them. */
export const DEFAULT_RULES_DIR = 'rules';
export const DEFAULT_SCENARIOS_DIR = 'fixtures/scenarios';
export const DEFAULT_CONFIG_FILE = 'sigfire.yaml';
