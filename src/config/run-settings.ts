/**
 * The settings that only tell agg how to run: an exchange rate, a time limit, a count. Their values
 * never reach a vendor, so one taken from the environment is no secret: hidden as one, `timeout:
 * ${AGG_TIMEOUT}` at 2500 turned every `2500` in vendor text into `***`, and a link to
 * `/item/325001` into a broken `/item/3***1`.
 */
import type { Path } from './positions.js';

const TOP = new Set(['currency']);
const DEFAULTS = new Set(['timeout', 'retries', 'hedge', 'maxBytes', 'connections']);
const SOURCE = new Set(['timeout', 'retries', 'hedge', 'maxBytes', 'currency', 'maxPages', 'flowTimeout']);
const POLL = new Set(['interval', 'maxAttempts']);

/** Whether the value at `path` (in the sources file) is such a setting. */
export function isRunSetting(path: Path): boolean {
  const [first, second, third, fourth] = path;
  if (path.length === 1) return TOP.has(String(first));
  if (path.length === 2) return first === 'rates' || (first === 'defaults' && DEFAULTS.has(String(second)));
  if (first !== 'sources' || typeof second !== 'number') return false;
  if (path.length === 3) return SOURCE.has(String(third));
  return path.length === 4 && third === 'poll' && POLL.has(String(fourth));
}
