/**
 * The library's entry (`import … from 'agg'`, src/index.ts): the option and result types a caller
 * needs are exported by name. `tsc --noEmit` (CI's typecheck) fails if one goes missing; the test
 * then uses each once at run time.
 */
import { describe, expect, it } from 'vitest';
import {
  type ConfigError,
  type ConfigProblem,
  createDispatcher,
  type DispatcherOptions,
  type LoadOptions,
  loadConfigText,
  type Rates,
  rank,
  renderTable,
  type SortSpec,
  type TableOptions,
} from '../src/index.js';

describe('the library entry', () => {
  it('exports the types of its functions’ options and errors', async () => {
    const sort: SortSpec = { field: 'price', desc: false };
    const ranked = rank([{ source: 'a', title: 't', price: 2, currency: 'USD' }], sort);
    const table: TableOptions = { width: 80, color: false };
    expect(renderTable({ ...emptyResult(), offers: ranked }, table)).toContain('│ 1 │');
    const rates: Rates = { base: 'USD', rates: { EUR: 1.1 } };
    expect(rates.rates.EUR).toBe(1.1);
    const options: DispatcherOptions = { connections: 2 };
    await createDispatcher(options).destroy();
    const load: LoadOptions = {};
    let problems: readonly ConfigProblem[] = [];
    try {
      loadConfigText('sources: []\n', 'sources.yaml', {}, load);
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems[0]).toMatchObject({ file: 'sources.yaml' });
  });
});

function emptyResult() {
  return {
    query: { text: 'x', params: { query: 'x' } },
    strategy: 'all' as const,
    currency: 'USD',
    offers: [],
    sources: [],
    partial: false,
    elapsedMs: 1,
    warnings: [],
  };
}
