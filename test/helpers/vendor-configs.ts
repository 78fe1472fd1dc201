/** The two configs that map the real vendor APIs: sources.example.yaml, and docs/vendors.md's blocks as one file. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig, loadConfigText } from '../../src/config/index.js';
import type { CompiledSource, Config } from '../../src/types.js';

const EXAMPLE = fileURLToPath(new URL('../../sources.example.yaml', import.meta.url));
const PAGE = readFileSync(new URL('../../docs/vendors.md', import.meta.url), 'utf8');

function docsConfig(): Config {
  const blocks = [...PAGE.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trimEnd());
  const env = Object.fromEntries([...PAGE.matchAll(/\$\{([A-Z_]+)\}/g)].map(([, name]) => [name as string, 'x']));
  return loadConfigText(`sources:${blocks.map((b) => `\n${b.replace(/^/gm, '  ')}`).join('')}\n`, 'vendors.md', env);
}

/** `[file, config]` for each, for `it.each`. */
export const VENDOR_CONFIGS: readonly [string, Config][] = [
  ['sources.example.yaml', loadConfig(EXAMPLE, {})],
  ['docs/vendors.md', docsConfig()],
];

export const sourceOf = (config: Config, name: string): CompiledSource => {
  const s = config.sources.find((x) => x.name === name);
  if (!s) throw new Error(`no source ${name}`);
  return s;
};
