/**
 * `{{ expr }}` templates over the query params. Compiled once at load time, rendered per search.
 * A template whose expression yields nothing means a param is missing: the source is skipped,
 * never sent with "undefined".
 */
import type jsonata from 'jsonata';
import { BAIL, fieldReader } from '../map/index.js';
import { hasParam } from '../plan.js';
import { compileExpression, ExpressionError, evaluationMessage, referencedNames } from '../shared/expression.js';
import { checkDepth } from '../shared/sanitize.js';
import type { Params } from '../types.js';

const PLACEHOLDER = /\{\{(.+?)\}\}/gs;

/**
 * One `{{ }}` expression and the field it came from (`request.url`), so that a failure at search
 * time can name it. The field lives here, not on the expression: sources share compiled
 * expressions by text, and `{{ $number(max) }}` in one source's URL and another's body is one object.
 */
interface TemplatePart {
  readonly expr: jsonata.Expression;
  readonly field: string;
}

/** A string split into literal text and expressions. */
export interface TextTemplate {
  readonly parts: readonly (string | TemplatePart)[];
}

/** A JSON body: objects and arrays whose strings may be templates. */
export type BodyTemplate =
  | { readonly kind: 'text'; readonly template: TextTemplate }
  | ({ readonly kind: 'value' } & TemplatePart)
  | { readonly kind: 'array'; readonly items: readonly BodyTemplate[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, BodyTemplate])[] }
  | { readonly kind: 'literal'; readonly value: unknown };

/** Raised while rendering when an expression yields nothing. */
export class MissingParamError extends Error {
  constructor(
    readonly names: readonly string[],
    field?: string,
  ) {
    super(
      names.length > 0
        ? `missing param${names.length > 1 ? 's' : ''}: ${names.join(', ')}`
        : `${field ? `${field}: ` : ''}a template yields nothing for these params`,
    );
  }
}

/** A template failed while rendering (a guardrail, `$number("x")`, a refused URL value); `field` is like `request.url`. */
export class TemplateError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

const compilePart = (text: string, field: string): TemplatePart => {
  refuseDashedName(text, field);
  const expr = compileExpression(text, field);
  // JavaScript's `undefined` is a path to JSONata: a param of that name, which the source then needed
  // (`needs undefined`) on every search.
  if (referencedNames(expr).includes('undefined')) {
    throw new ExpressionError(
      field,
      '`undefined` reads a param named undefined: JSONata has no such value; for nothing, leave out the else (`cond ? value`)',
    );
  }
  return { expr, field };
};

// `return-date`, written tight as a param name is: JSONata reads it as `return` minus `date`.
const DASHED_NAME = /^\s*([A-Za-z_]\w*(?:-[A-Za-z_]\w*)+)\s*$/;

/**
 * `{{return-date}}` subtracts two params, which no search sets: the source was skipped as `needs return,
 * date`, or failed with JSONata's `The left side of the "-" operator must evaluate to a number`. A param
 * name has no `-` (the command line refuses one), so this is a name meant: said where the file is loaded.
 * Subtraction written with spaces (`{{ max - min }}`) is left alone.
 */
function refuseDashedName(text: string, field: string): void {
  const dashed = DASHED_NAME.exec(text)?.[1];
  if (!dashed) return;
  throw new ExpressionError(
    field,
    `{{${dashed}}} reads as ${dashed.split('-').join(' minus ')}: a param name has letters, digits and _ only (${dashed.replaceAll('-', '_')}); to subtract, put spaces around the -`,
  );
}

/**
 * The `{{ }}` expressions of a text as the sources file writes it, with its `${VAR}`s unresolved,
 * except any that holds a `${`: what the file itself says, which no environment value has touched.
 */
export function writtenPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string).filter((expr) => !expr.includes('${'));
}

/** Compiles a string with `{{ }}` placeholders; throws ExpressionError naming `field`. */
export function compileText(text: string, field: string): TextTemplate {
  const parts: (string | TemplatePart)[] = [];
  let last = 0;
  const empty = () => new ExpressionError(field, `empty {{ }} in ${JSON.stringify(text)}; write {{query}}, say`);
  const literal = (s: string): void => {
    // A `{{` left in literal text is a placeholder the user forgot to close (or to fill: `{{}}`);
    // sending it would be wrong.
    if (s.includes('{{}}')) throw empty();
    if (s.includes('{{')) throw new ExpressionError(field, `unclosed {{ in ${JSON.stringify(text)}`);
    if (s) parts.push(s);
  };
  for (const m of text.matchAll(PLACEHOLDER)) {
    literal(text.slice(last, m.index));
    if (!m[1]?.trim()) throw empty();
    parts.push(compilePart(m[1] as string, field));
    last = m.index + m[0].length;
  }
  literal(text.slice(last));
  return { parts };
}

/** Compiles a JSON body template; a string that is exactly one `{{ }}` keeps the value's JSON type. */
export function compileBody(value: unknown, field: string): BodyTemplate {
  if (typeof value === 'string') {
    const whole = /^\{\{(.+?)\}\}$/s.exec(value);
    if (whole?.[1]?.trim() && !whole[1].includes('{{'))
      return { kind: 'value', ...compilePart(whole[1] as string, field) };
    return value.includes('{{') ? { kind: 'text', template: compileText(value, field) } : { kind: 'literal', value };
  }
  if (Array.isArray(value)) return { kind: 'array', items: compileEach(value.map((v, i) => [`${field}[${i}]`, v])) };
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const compiled = compileEach(entries.map(([k, v]) => [`${field}.${k}`, v]));
    return { kind: 'object', entries: entries.map(([k], i) => [k, compiled[i] as BodyTemplate] as const) };
  }
  return { kind: 'literal', value };
}

/** compileBody of each part, so that every bad `{{ }}` of a body is reported, not only the first (one AggregateError). */
function compileEach(parts: readonly (readonly [string, unknown])[]): BodyTemplate[] {
  const errors: unknown[] = [];
  const out = parts.map(([field, v]) => {
    try {
      return compileBody(v, field);
    } catch (err) {
      errors.push(...(err instanceof AggregateError ? err.errors : [err]));
      return undefined;
    }
  });
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'bad templates');
  return out as BodyTemplate[];
}

/**
 * Params the templates read, to be added to the source's `requires` at load time: a source that
 * lacks one is skipped by the plan, so `f={{ from & '-' & to }}` never goes out as `f=-`. A param
 * read as `$lookup($, "max")` is optional.
 */
export function templateParams(...templates: readonly (TextTemplate | BodyTemplate | undefined)[]): string[] {
  return [...new Set(templateExpressions(...templates).flatMap(referencedNames))];
}

/** Every `{{ }}` expression of these templates. */
export function templateExpressions(
  ...templates: readonly (TextTemplate | BodyTemplate | undefined)[]
): jsonata.Expression[] {
  const out: jsonata.Expression[] = [];
  const visit = (t: TextTemplate | BodyTemplate | undefined): void => {
    if (!t) return;
    if ('parts' in t) {
      for (const p of t.parts) if (typeof p !== 'string') out.push(p.expr);
    } else if (t.kind === 'text') visit(t.template);
    else if (t.kind === 'value') out.push(t.expr);
    else if (t.kind === 'array') t.items.forEach(visit);
    else if (t.kind === 'object') for (const [, v] of t.entries) visit(v);
  };
  templates.forEach(visit);
  return out;
}

/**
 * Variables a template may read besides the params (its input, and `$params`): `$response` (the previous
 * response) in poll templates.
 */
export type Bindings = Readonly<Record<string, unknown>>;

async function evaluate({ expr, field }: TemplatePart, params: Params, bindings?: Bindings): Promise<unknown> {
  // `{{query}}` and other plain paths are read directly, as mappings are (map/fast.ts).
  let value: unknown = fieldReader(expr)?.(params as Record<string, unknown>) ?? BAIL;
  if (value === BAIL) {
    try {
      // `$params` too, as `until` and `next` read them: written there, it read nothing here.
      value = await expr.evaluate(params, { ...bindings, params });
    } catch (err) {
      throw new TemplateError(field, evaluationMessage(err));
    }
  }
  if (value === undefined || value === null) {
    throw new MissingParamError(
      referencedNames(expr).filter((n) => !hasParam(params, n)),
      field,
    );
  }
  try {
    // `$response` is vendor data: a value nested 200,000 deep overflowed the stack of JSON.stringify, in the
    // URL's text or the body's, and the row read V8's `Maximum call stack size exceeded`.
    checkDepth(value);
  } catch (err) {
    throw new TemplateError(field, (err as Error).message);
  }
  return value;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Renders a text template. `encode` is applied to each expression's result, so that in a URL
 * a query like `a&admin=1#x` stays one value and cannot add parameters.
 */
export async function renderText(
  t: TextTemplate,
  params: Params,
  encode: (s: string, before: string) => string = (s) => s,
  bindings?: Bindings,
): Promise<string> {
  let out = '';
  for (const part of t.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = asText(await evaluate(part, params, bindings));
    try {
      // `out`, the text so far, tells the encoder where the value goes (in a URL: the path, or the query).
      out += encode(value, out);
    } catch (err) {
      // An encoder that refuses a value (`..` in a URL) fails the template: named by its field, like the others.
      throw new TemplateError(part.field, String((err as Error)?.message ?? err));
    }
  }
  return out;
}

/** Renders a body template into a JSON-ready value. */
export async function renderBody(t: BodyTemplate, params: Params, bindings?: Bindings): Promise<unknown> {
  switch (t.kind) {
    case 'literal':
      return t.value;
    case 'value':
      return evaluate(t, params, bindings);
    case 'text':
      return renderText(t.template, params, undefined, bindings);
    case 'array':
      return Promise.all(t.items.map((item) => renderBody(item, params, bindings)));
    case 'object': {
      // fromEntries defines own keys, so a `__proto__` key in the YAML stays data.
      const values = await Promise.all(t.entries.map(([, v]) => renderBody(v, params, bindings)));
      return Object.fromEntries(t.entries.map(([k], i) => [k, values[i]]));
    }
  }
}
