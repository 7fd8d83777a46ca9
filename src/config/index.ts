export { loadConfig, type LoadedConfig } from './load-config.js';
export { ConfigError, formatConfigIssue, type ConfigIssue } from './config-error.js';
export { CONFIG_KEYS, type ConfigKeyDoc } from './config-keys.js';
export * from './schema.js';
