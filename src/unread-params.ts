/**
 * Params that no source searched reads. `adults=2` or `return=2026-12-27` against flight sources whose
 * templates send one adult, one way, listed one adult's one-way fares as the answer to the query, with
 * no word that the param went nowhere: a warning says so, as `--where` does for a field no offer has.
 */
import type jsonata from 'jsonata';
import { type BodyTemplate, type TextTemplate, templateExpressions } from './scatter/template.js';
import { suggest } from './shared/suggest.js';
import { truncate } from './shared/truncate.js';
import type { CompiledSource, Params } from './types.js';

/** The params a source reads by name, or `any` when an expression may read any of them (`$`, `$params`). */
type Reads = Set<string> | 'any';

const isNode = (value: unknown): value is jsonata.ExprNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Visits every node of a tree; `visit` returns true for a node it has fully read (its children are skipped). */
function walk(node: unknown, visit: (n: jsonata.ExprNode) => boolean): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (!isNode(node) || visit(node)) return;
  for (const value of Object.values(node)) if (typeof value === 'object') walk(value, visit);
}

/** `$lookup(<of>, "name")`: the one param an optional read takes, as the README writes it. */
function lookedUp(n: jsonata.ExprNode, of: (arg: jsonata.ExprNode | undefined) => boolean): string | undefined {
  const [target, key] = n.arguments ?? [];
  return n.type === 'function' && n.procedure?.value === 'lookup' && of(target) && key?.type === 'string'
    ? String(key.value)
    : undefined;
}

/**
 * Nodes that read their input's fields without naming them: `*` and `**` (`$join(*, ",")` sends every
 * param), and `%`, whose parent may be the params (`a.%.b` reads `b`).
 */
const UNNAMED_READS = new Set(['wildcard', 'descendant', 'parent']);

const isParamsVariable = (n: jsonata.ExprNode | undefined): boolean => n?.type === 'variable' && n.value === 'params';

/**
 * Adds to `names` the params `expr` reads by name (`$params.x`, `$lookup($params, "x")`, and the same of
 * its input when `isInput`); true when it may read any (`$params` as a whole, or, with `unnamed`, `*`).
 */
function reads(
  expr: jsonata.Expression,
  names: Set<string>,
  isInput: (n: jsonata.ExprNode | undefined) => boolean,
  unnamed: boolean,
): boolean {
  let any = false;
  const isParams = (n: jsonata.ExprNode | undefined) => isInput(n) || isParamsVariable(n);
  walk(expr.ast(), (n) => {
    const [first, second] = n.type === ('path' as string) && Array.isArray(n.steps) ? n.steps : [];
    const name = isParamsVariable(first) && second?.type === 'name' ? String(second.value) : lookedUp(n, isParams);
    if (name !== undefined) names.add(name);
    else if (isParams(n) || (unnamed && UNNAMED_READS.has(n.type))) any = true;
    return name !== undefined;
  });
  return any;
}

/** What a request template reads beyond the names in `requires`: its input is the params (`$`, `$$`), and so is `$params`. */
const templateReads = (expr: jsonata.Expression, names: Set<string>): boolean =>
  reads(expr, names, (n) => n?.type === 'variable' && (n.value === '' || n.value === '$'), true);

/** What `until` or `next` reads: the params are `$params` there (their input is the response). */
const bindingReads = (expr: jsonata.Expression, names: Set<string>): boolean => reads(expr, names, () => false, false);

function readsOf(source: CompiledSource): Reads {
  const names = new Set(source.requires);
  const { compiled } = source;
  const templates: (TextTemplate | BodyTemplate | undefined)[] = [
    compiled.url,
    ...compiled.headers.map(([, t]) => t),
    compiled.body,
    compiled.query,
    ...(compiled.poll
      ? [compiled.poll.url, ...compiled.poll.headers.map(([, t]) => t), compiled.poll.body, compiled.poll.query]
      : []),
  ];
  for (const expr of templateExpressions(...templates)) if (templateReads(expr, names)) return 'any';
  for (const expr of [compiled.poll?.until, compiled.next]) if (expr && bindingReads(expr, names)) return 'any';
  return names;
}

/**
 * The `name=value` params given that none of `sources` reads; none when one of them may read any param.
 * The words (`query`) are left out: they are what every search has, and a source with a fixed URL that
 * ignores them is the file's choice, not a constraint of the user's that went nowhere.
 */
export function unreadParams(sources: readonly CompiledSource[], params: Params): string[] {
  const given = Object.keys(params).filter((p) => p !== 'query' && params[p] !== '');
  // The common case, every param in some source's `requires`, costs no walk of any expression.
  const required = new Set(sources.flatMap((s) => s.requires));
  if (given.every((p) => required.has(p))) return [];
  const read = new Set<string>();
  for (const source of sources) {
    const reads = readsOf(source);
    if (reads === 'any') return [];
    for (const name of reads) read.add(name);
  }
  return given.filter((p) => !read.has(p));
}

/** The warning for one unread param, its value cut short (it is the user's own, but may be long). */
function unreadWarning(name: string, value: string): string {
  // truncate, not slice: a cut through an emoji left half of it, `\ud83d` in --json's warnings.
  return `${name}=${truncate(value, 40)} is read by no source searched: the offers do not reflect it`;
}

/** A source skipped for want of a param, and its row's reason (`needs date`). */
export interface SkippedSource {
  readonly source: CompiledSource;
  readonly why: string;
}

/** Readers named in a warning at most; the rest are counted. */
const MAX_READERS = 3;

/**
 * The warnings for params the offers do not reflect: one that no source searched reads, and one that only
 * sources skipped for want of another param read (`adults=2` read by the one flight source, which needs
 * a `date`): the offers listed are then from sources that never saw it, and the skipped rows are shown
 * only under --verbose. (With every source skipped there is no search: plan() refuses it, naming each.)
 */
export function paramWarnings(
  sent: readonly CompiledSource[],
  skipped: readonly SkippedSource[],
  params: Params,
): string[] {
  const unreadBySent = unreadParams(sent, params);
  if (unreadBySent.length === 0) return [];
  const all = [...sent, ...skipped.map((s) => s.source)];
  const unreadByAll = new Set(unreadParams(all, params));
  return unreadBySent.map((name) => {
    const value = params[name] ?? '';
    if (unreadByAll.has(name)) return `${unreadWarning(name, value)}${meantParam(name, value, all, params)}`;
    const readers = skipped.filter((s) => unreadParams([s.source], { [name]: value }).length === 0);
    return skippedReadersWarning(name, value, readers);
  });
}

/**
 * `; did you mean return=2026-12-27?` for a misspelt param (`retrun=`) near one a source reads and the
 * query lacks: the one-way fares listed for a round trip said only that `retrun` went nowhere.
 */
function meantParam(name: string, value: string, sources: readonly CompiledSource[], params: Params): string {
  const read = new Set<string>();
  for (const source of sources) {
    const reads = readsOf(source);
    if (reads !== 'any') for (const r of reads) read.add(r);
  }
  const missing = [...read].filter((r) => r !== 'query' && !(Object.hasOwn(params, r) && params[r] !== ''));
  const near = suggest(name, missing);
  return near === undefined ? '' : `; did you mean ${near}=${truncate(value, 40)}?`;
}

/** `adults=2 is read only by flights, which was skipped (needs date): …` */
function skippedReadersWarning(name: string, value: string, readers: readonly SkippedSource[]): string {
  const named = readers.slice(0, MAX_READERS);
  const more = readers.length - named.length;
  const who =
    readers.length === 1 && named[0]
      ? `${named[0].source.name}, which was skipped (${named[0].why})`
      : `${named.map((r) => `${r.source.name} (${r.why})`).join(', ')}${more > 0 ? ` and ${more} more` : ''}, which were skipped`;
  return `${name}=${truncate(value, 40)} is read only by ${who}: the offers do not reflect it`;
}
