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
  const text = typeof input === 'string' ? input.trim() : '';
  // Only for a unit in the wrong case: a right one is refused for its number (`1e400GiB` is no size).
  const unit = SIZE.test(text) ? undefined : CASELESS.exec(text)?.[2];
  if (unit) {
    // `10mb`, `10Mb`, `10kib`: what was meant is plain, but a guess at the case is still a guess.
    const number = text.slice(0, -unit.length).trim();
    const [decimal, binary] = unit.toLowerCase().startsWith('k')
      ? ['KB', 'KiB']
      : unit.toLowerCase().startsWith('m')
        ? ['MB', 'MiB']
        : ['GB', 'GiB'];
    return `${shown} is not a size; units are case-sensitive: write ${number}${binary} (or ${number}${decimal})`;
  }
  return `${shown} is not a size; use 512KiB, 10MiB, 1MB or a number of bytes`;
}

// The accepted forms in any case, to say which case was meant.
const CASELESS = new RegExp(
  SIZE_PATTERN.replace('(B|', '(').replace('B|KB|KiB|MB|MiB|GB|GiB', 'KB|KiB|MB|MiB|GB|GiB'),
  'i',
);

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
    // Also when the unit below would round up to 1024 of it: 1,048,535 bytes is `1 MiB`, not `1024 KiB`.
    const roundsUp = size > 1024 && Number((bytes / (size / 1024)).toFixed(1)) >= 1024;
    if (bytes >= size || roundsUp) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}
