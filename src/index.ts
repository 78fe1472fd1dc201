/** The programmatic API: the same pipeline the CLI runs, exported by name. */
export {
  type ConfigCache,
  type FindOptions,
  findConfig,
  type LoadOptions,
  loadConfig,
  loadConfigText,
  parseDuration,
} from './config/index.js';
export { AggError, ConfigError, ConfigNotFoundError, type ConfigProblem, EXIT, UsageError } from './errors.js';
export { exitCodeFor } from './exit.js';
export { compileWhere } from './gather/where.js';
export { defaultHistoryFile, LatencyHistory } from './history/index.js';
export { historyKey } from './history/key.js';
export { applyMapping, compileMapping, MappingError } from './map/index.js';
export { convert, type Rates } from './rank/convert.js';
export { rank, type SortSpec } from './rank/index.js';
export { render, renderCsv, renderJson, renderNdjson, renderTable, type TableOptions } from './render/index.js';
export { createDispatcher, type DispatcherOptions } from './scatter/dispatcher.js';
export { type ProxySettings, proxyFromEnv } from './scatter/proxy-settings.js';
export { search } from './search/index.js';
export type { SearchOptions } from './search/options.js';
export { DEFAULT_GUARDRAILS, ExpressionError, type Guardrails, setGuardrails } from './shared/expression.js';
export * from './types.js';
