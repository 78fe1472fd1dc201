/**
 * Tags agg does not know. yaml reads `X-Api-Key: !env SHOP_KEY` (MkDocs' `!ENV`, pyyaml-env-tag's `!env`,
 * Home Assistant's `!secret`) as the text `SHOP_KEY`, and only warns, which agg does not show: the header
 * went out as the variable's name, without a word. Environment values are `${VAR}` here.
 */
import type { Document } from 'yaml';

/** Each tag yaml could not resolve, at the tag, with what to write instead. */
export function unknownTags(doc: Document, text: string): { offset: number; message: string }[] {
  return doc.warnings
    .filter((w) => w.code === 'TAG_RESOLVE_FAILED')
    .map((w) => {
      const tag = text.slice(w.pos[0], w.pos[1]);
      // The variable's name, when the tag is followed by one as such names are written (`!env SHOP_KEY`), for the fix to show it.
      // In a `{ }` or `[ ]` the name ends at a comma or the bracket: `{ X-Api-Key: !env SHOP_KEY, A: b }`.
      const name = /^[ \t]+([A-Z_][A-Z0-9_]*)[ \t]*(?:[,}\]]|#|$)/.exec(text.slice(w.pos[1]).split('\n')[0] ?? '')?.[1];
      return {
        offset: w.pos[0],
        message: `\`${tag}\` is a YAML tag agg does not read, so the value would be the text after it; an environment variable is written \`"\${${name ?? 'VAR'}}"\``,
      };
    });
}
