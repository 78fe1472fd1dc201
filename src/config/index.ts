/** The sources file: where it is, and how it becomes a validated, compiled, frozen Config. */

export type { ConfigCache } from './cache.js';
export { formatDuration, parseDuration } from './duration.js';
export { type FindOptions, findConfig } from './find.js';
export { type LoadOptions, loadConfig, loadConfigText } from './load.js';
