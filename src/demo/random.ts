/**
 * Deterministic randomness for the demo vendors: the same query always yields the same data,
 * so demos, docs and tests can quote numbers. FNV-1a for seeds, mulberry32 for sequences.
 */

/** 32-bit FNV-1a of the parts joined with `|`. */
export function hash(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join('|');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG: numbers in [0, 1). */
export type Random = () => number;

/** mulberry32 seeded with `hash(...parts)`. */
export function seeded(...parts: readonly (string | number)[]): Random {
  let a = hash(...parts);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [min, max). */
export const between = (rnd: Random, min: number, max: number): number => min + rnd() * (max - min);

/** An integer in [min, max]. */
export const intBetween = (rnd: Random, min: number, max: number): number => Math.floor(between(rnd, min, max + 1));

/** One element of a non-empty list. */
export function pick<T>(rnd: Random, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

/** A hash as `n` lowercase hex-ish characters (base 36), for made-up ids. */
export function token(n: number, ...parts: readonly (string | number)[]): string {
  const rnd = seeded(...parts);
  let out = '';
  while (out.length < n) out += Math.floor(rnd() * 36).toString(36);
  return out;
}

/** A shop price: 278.43 → 278.99, the way retail prices end. */
export const charm = (x: number): number => Math.max(0.99, Math.round(x) - 0.01);

/** A UUID-shaped id (version 4 layout) derived from the parts. */
export function uuid(...parts: readonly (string | number)[]): string {
  const rnd = seeded('uuid', ...parts);
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
