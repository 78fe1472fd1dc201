/** The sources file: where it is, and how it becomes a validated, compiled, frozen Config. */
export { formatDuration, parseDuration } from './duration.js';
export { findConfig } from './find.js';
export { loadConfig, loadConfigText } from './load.js';
