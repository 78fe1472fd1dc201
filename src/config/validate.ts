/**
 * Validation: the checks the schema cannot make (`__proto__` keys, duplicate names), the schema
 * itself (zod), and compiling. The command line loads this, and with it zod, only for a file whose
 * validated data the config cache does not hold (cache.ts).
 */
import { type Checked, compileAll } from './assemble.js';
import { duplicateNames, protoKeys } from './checks.js';
import { humanMessage, issueProblems, type PathProblem } from './issues.js';
import type { Path } from './positions.js';
import { SourcesFileSchema } from './schema.js';

/** Checks, validates and compiles raw data; `lineOf` names the line of a path, for messages that cite one. */
export function check(raw: unknown, lineOf: (path: Path) => number | undefined): Checked {
  let problems: PathProblem[] = [];
  if (raw === null || raw === undefined)
    problems.push({ path: [], message: 'the file is empty; it needs a `sources:` list' });
  // concat, not push(...): a list of a hundred thousand problems would overflow push's arguments.
  else problems = problems.concat(protoKeys(raw, []), duplicateNames(raw, lineOf));

  const parsed = raw == null ? undefined : SourcesFileSchema.safeParse(raw, { error: humanMessage });
  if (parsed && !parsed.success) problems = problems.concat(issueProblems(parsed.error.issues, raw));
  const { defaultHeaders, parts } = compileAll(raw, problems);
  return { problems, data: parsed?.success ? parsed.data : undefined, defaultHeaders, parts };
}
