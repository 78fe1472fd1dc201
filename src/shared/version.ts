/**
 * agg's version, as package.json says: what `agg --version` prints, what the config cache is keyed by, and
 * what every request's default `User-Agent: agg/<version>` names (scatter/default-headers.ts). package.json is
 * read once per process, when this module loads; the command line read it at every start already.
 */
import { readFileSync } from 'node:fs';

// Two folders under package.json whether this runs as src/shared/version.ts, dist/shared/version.js or inside
// dist/cli.cjs (whose bundle rewrites import.meta.url to this module's own file, scripts/bundle-cli.js).
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
