/**
 * Opt-in disk cache for OAuth2 tokens (`auth.oauth2.cache: true`), so that the next runs skip the
 * token request while it is valid. One file per client and scope (tokenKey), named by a hash, in
 * `$XDG_CACHE_HOME/agg/` (a 0700 directory), written 0600 and renamed into place so that a reader
 * never sees half a file. A token at rest is a credential: hence opt-in. Writing one deletes the
 * files of tokens that expired over an hour ago (and any it can find no expiry in, an hour after they were
 * written), and temp files a killed run left. Every failure here is a cache miss, never a failed source.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, type Stats, unlinkSync } from 'node:fs';
import path from 'node:path';
import { readPrivateFile, removeStaleTemps, writePrivateFile } from '../shared/cache-dir.js';
import type { OAuth2Config } from '../types.js';
import { MAX_TOKEN_LENGTH } from './token-length.js';

/** A token is not reused in its last minute: a run may take that long. */
const MARGIN_MS = 60_000;

/**
 * What tells one token from another: the client, and what it asked for. The secret is in it so that a
 * new secret never reuses an old token, and the scope so that a token granted for `read` is never
 * reused for `read admin`. Also the run's key for sharing a token (oauth.ts).
 */
export const tokenKey = (o: OAuth2Config): string =>
  JSON.stringify([o.tokenUrl, o.clientId, o.clientSecret, o.scope ?? null, o.clientAuth]);

/**
 * A token file is deleted this long after its token expired: never while a clock stepped back a little
 * (NTP correcting a drifted one) could still find it valid.
 */
const PRUNE_AFTER_MS = 3600_000;

const TOKEN_FILE = /^token-[0-9a-f]{32}\.json$/;

const fileFor = (dir: string, o: OAuth2Config): string => {
  // Only a hash of the key is written: it holds the secret.
  const key = createHash('sha256').update(tokenKey(o)).digest('hex');
  return path.join(dir, `token-${key.slice(0, 32)}.json`);
};

/** The cached token for `oauth`, if one is there, valid for another minute, and written by this user. */
export async function readCachedToken(dir: string, oauth: OAuth2Config, now: number): Promise<string | undefined> {
  try {
    const { token, expiresAt } = JSON.parse(readPrivateFile(fileFor(dir, oauth))) as Record<string, unknown>;
    if (typeof token !== 'string' || token === '' || typeof expiresAt !== 'number') return undefined;
    // One no header can carry is not masked (oauth.ts): an older agg's, or a hand-edited file's.
    if (token.length > MAX_TOKEN_LENGTH) return undefined;
    return expiresAt - MARGIN_MS > now ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `expires_in` in seconds: a number (RFC 6749 §5.1), or the string of one, as Azure AD's v1 endpoint
 * and others send it ("3599"); anything else is no lifetime.
 */
function lifetimeOf(expiresIn: unknown): number | undefined {
  const seconds =
    typeof expiresIn === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** Stores `token`, valid for `expiresIn` seconds from `now`; without a lifetime there is nothing to cache. */
export async function writeCachedToken(
  dir: string,
  oauth: OAuth2Config,
  token: string,
  expiresIn: unknown,
  now: number,
): Promise<void> {
  const seconds = lifetimeOf(expiresIn);
  if (seconds === undefined) return;
  try {
    writePrivateFile(fileFor(dir, oauth), JSON.stringify({ token, expiresAt: now + seconds * 1000 }));
  } catch {
    // A read-only or missing home is a cache miss next time, nothing more.
    return;
  }
  pruneExpiredTokens(dir, now);
}

/**
 * Deletes the token files of `dir` whose token expired over PRUNE_AFTER_MS ago: one is written per
 * client, secret and scope ever used, and nothing else would ever remove them (a rotated secret's token
 * stayed on disk for good). Only plain files of this user's named as agg names them are read, never
 * through a link; anything unreadable, or gone (another agg pruning too), is left as it is.
 */
function pruneExpiredTokens(dir: string, now: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (TOKEN_FILE.test(name)) pruneIfExpired(path.join(dir, name), now);
  removeStaleTemps(dir, TOKEN_FILE, now);
}

/** When a token file's token expired: its `expiresAt`, or undefined for a file that says none. */
function expiryOf(text: string): number | undefined {
  try {
    const { expiresAt } = JSON.parse(text) as Record<string, unknown>;
    return typeof expiresAt === 'number' && Number.isFinite(expiresAt) ? expiresAt : undefined;
  } catch {
    return undefined;
  }
}

function pruneIfExpired(file: string, now: number): void {
  try {
    const seen = lstatSync(file);
    if (!seen.isFile()) return;
    // A file with no expiry in it (bytes a disk lost, a hand edit) is never a cache hit (readCachedToken),
    // and only a new token of the same client would ever replace it: it goes an hour after it was written.
    const expiresAt = expiryOf(readPrivateFile(file)) ?? seen.mtimeMs;
    if (expiresAt + PRUNE_AFTER_MS > now) return;
    // Another agg may have renamed a fresh token over it since it was read: that one is kept.
    if (!sameFile(seen, lstatSync(file))) return;
    unlinkSync(file);
  } catch {
    // ENOENT (pruned or replaced by another agg), or a file not agg's own: left alone.
  }
}

const sameFile = (a: Stats, b: Stats): boolean => a.ino === b.ino && a.dev === b.dev && a.mtimeMs === b.mtimeMs;
