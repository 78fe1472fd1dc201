/**
 * Declared params at search time: each given value checked against its declaration, the defaults of
 * those not given. A value that fails is the user's mistake, refused before any request:
 * `date=20/12/2026` reached three vendors as three 400s and a `template failed`, and Kiwi's template
 * sent it on as a date.
 */
import { checkParam, type ParamDeclaration } from './config/param-check.js';
import { relationProblem } from './config/param-relations.js';
import { UsageError } from './errors.js';
import { hasParam } from './plan.js';
import { localDate } from './shared/clock.js';
import { truncate } from './shared/truncate.js';
import type { Config, Params } from './types.js';

/**
 * The params to search with: each given param checked against its declaration (and normalised), and
 * the defaults of those not given. `given` is what the user gave, normalised: the params to warn about
 * when no source reads them (a default is the file's choice, not the user's). Throws one UsageError
 * naming every param that fails, with the place of its declaration. `today` is the machine's local date
 * (`min: today`); tests pass a fixed one.
 */
export function applyDeclarations(
  config: Config,
  params: Params,
  today: string = localDate(),
): { params: Params; given: Params } {
  const declared = config.params;
  if (!declared) return { params, given: params };
  const out: Record<string, string> = { ...params };
  const problems: string[] = [];
  const failed = new Set<string>();
  const refuse = (name: string, decl: ParamDeclaration, problem: string) => {
    failed.add(name);
    // The value judged: the default's when the param was not given, or given empty (`date=`), which read
    // `date=: in the past` of a default no one typed.
    const given = hasParam(params, name);
    const value = truncate((given ? params[name] : out[name]) ?? '', 40);
    problems.push(`${name}=${value}${given ? '' : ' (the default)'}: ${problem} (${declaredAt(config, decl)})`);
  };
  for (const [name, decl] of Object.entries(declared)) {
    // Given empty (`adults=`) it is not given, as plan.ts has it: the default fills it.
    if (!hasParam(params, name)) {
      if (decl.default !== undefined) out[name] = decl.default;
      continue;
    }
    const checked = checkParam(params[name] as string, decl);
    if ('value' in checked) out[name] = checked.value;
    else refuse(name, decl, checked.problem);
  }
  // Then each against the others, and the day: only values that passed their own declaration.
  const valid: Record<string, string> = Object.create(null);
  for (const name of Object.keys(declared))
    if (!failed.has(name) && hasParam(out, name)) valid[name] = out[name] as string;
  for (const [name, decl] of Object.entries(declared)) {
    const problem = relationProblem(name, decl, valid, today);
    if (problem) refuse(name, decl, problem);
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const normalised = Object.fromEntries(Object.keys(params).map((name) => [name, out[name] as string]));
  return { params: out, given: normalised };
}

/** `declared at sources.yaml:3:3`. */
const declaredAt = (config: Config, decl: ParamDeclaration): string =>
  decl.line === undefined ? `declared in ${config.file}` : `declared at ${config.file}:${decl.line}:${decl.col ?? 1}`;
