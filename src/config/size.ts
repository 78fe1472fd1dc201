/**
 * Byte sizes as people write them in the sources file: `512KiB`, `10MiB`, `1MB`, or a bare number
 * of bytes. Binary units (KiB = 1024) and decimal ones (KB = 1000) both mean what they say; units are
 * case-sensitive, so that `10mb` (millibits?) is an error rather than a guess.
 */

/** The accepted text forms, also the JSON Schema pattern. */
export const SIZE_PATTERN = '^\\d+(\\.\\d+)?\\s*(B|KB|KiB|MB|MiB|GB|GiB)?$';

const SIZE = new RegExp(SIZE_PATTERN);
const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** The message for anything that is not a size; shared with the schema. */
export function sizeMessage(input: unknown): string {
  const shown = typeof input === 'string' ? JSON.stringify(input) : String(input);
  return `${shown} is not a size; use 512KiB, 10MiB, 1MB or a number of bytes`;
}

/** Parses a size to whole bytes; throws an Error with a helpful message on bad input. */
export function parseSize(text: string | number): number {
  const m = typeof text === 'number' ? undefined : SIZE.exec(text.trim());
  const bytes =
    typeof text === 'number'
      ? text
      : m
        ? Number(text.trim().match(/^[\d.]+/)?.[0]) * (UNIT_BYTES[(m[2] ?? 'b').toLowerCase()] ?? Number.NaN)
        : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 0) throw new Error(sizeMessage(text));
  return Math.round(bytes);
}

/** Formats bytes in the largest binary unit that reads cleanly: 10485760 → `10 MiB`, 1536 → `1.5 KiB`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}
