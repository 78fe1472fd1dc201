/** The programmatic API: the same pipeline the CLI runs, exported by name. */
export { findConfig, loadConfig, loadConfigText, parseDuration } from './config/index.js';
export { AggError, ConfigError, ConfigNotFoundError, EXIT, UsageError } from './errors.js';
export { exitCodeFor } from './exit.js';
export { DEFAULT_GUARDRAILS, ExpressionError, type Guardrails, setGuardrails } from './expression.js';
export { defaultHistoryFile, LatencyHistory } from './history.js';
export { applyMapping, compileMapping, MappingError } from './map.js';
export { convert, rank } from './rank.js';
export { render, renderCsv, renderJson, renderNdjson, renderTable } from './render/index.js';
export { createDispatcher } from './scatter/dispatcher.js';
export { type SearchOptions, search } from './search.js';
export * from './types.js';
export { compileWhere } from './where.js';
