/**
 * A body written as a string of JSON (a `|` block pasted from a vendor's docs) under a JSON Content-Type
 * is sent as one JSON string, `"{\"query\": \"tv\"}"`: the vendor answers 400 about a body the file
 * never meant, and nothing said why. JSON is YAML, so the same text without `|` or quotes is the object:
 * this says so where the file is loaded, with its line.
 */
import { sendsJson } from '../scatter/request.js';
import { asRecord } from './as-record.js';

type Headers = Readonly<Record<string, unknown>> | undefined;

/** A string that starts as a JSON object or list would, not as a `{{ }}` placeholder. */
const JSON_TEXT = /^\s*(?:\[|\{(?!\{))/;

/** The Content-Type these header layers send, later ones winning, names compared case-insensitively (as merged). */
function contentTypeOf(layers: readonly Headers[]): string | undefined {
  let type: string | undefined;
  for (const headers of layers) {
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (name.toLowerCase() === 'content-type' && typeof value === 'string') type = value;
    }
  }
  return type;
}

/**
 * A body that is one `{{ }}` but for the whitespace around it: the line break a `|` block ends in made
 * `{{ {"q": query} }}` text (template.ts keeps a value's JSON type only for a `{{ }}` alone), and it went
 * out as the JSON string "{\\"q\\":\\"tv\\"}\\n".
 */
function paddedValue(body: string): boolean {
  const trimmed = body.trim();
  const inner = /^\{\{(.+?)\}\}$/s.exec(trimmed)?.[1];
  return trimmed !== body && inner !== undefined && inner.trim() !== '' && !inner.includes('{{');
}

/** Why `request.body` would go out as a JSON string holding JSON text, or undefined when it would not. */
function problem(request: unknown, layers: readonly Headers[]): string | undefined {
  const req = asRecord(request);
  const body = req?.body;
  if (typeof body !== 'string') return undefined;
  const why = JSON_TEXT.test(body) ? JSON_STRING : paddedValue(body) ? PADDED_VALUE : undefined;
  if (!why) return undefined;
  const type = contentTypeOf([...layers, asRecord(req?.headers)]);
  // A Content-Type that a `{{ }}` fills in is only known at search time.
  if (type?.includes('{{') || !sendsJson(type)) return undefined;
  return why;
}

const JSON_STRING =
  'is a string, which is sent as one JSON string ("{\\"…"), not as the JSON it spells: JSON is YAML, so write it without the `|` or the quotes (body: {"q": "{{query}}"}), or set a Content-Type for text';
const PADDED_VALUE =
  'is one `{{ }}` with a line break or spaces around it, which makes it text, sent as one JSON string, not the value it gives: write `|-` for `|`, which drops the last line break, or leave out the spaces';

/** Each `request.body` and `poll.request.body` of `file` that would go out as a JSON string of JSON text. */
export function jsonTextBodies(file: unknown): { path: (string | number)[]; message: string }[] {
  const root = asRecord(file);
  const defaults = asRecord(asRecord(root?.defaults)?.headers);
  const sources = Array.isArray(root?.sources) ? root.sources : [];
  const out: { path: (string | number)[]; message: string }[] = [];
  sources.forEach((entry, i) => {
    const source = asRecord(entry);
    const own = asRecord(asRecord(source?.request)?.headers);
    const first = problem(source?.request, [defaults]);
    if (first) out.push({ path: ['sources', i, 'request', 'body'], message: first });
    // A poll's headers merge over the source request's (assemble.ts).
    const poll = problem(asRecord(source?.poll)?.request, [defaults, own]);
    if (poll) out.push({ path: ['sources', i, 'poll', 'request', 'body'], message: poll });
  });
  return out;
}
