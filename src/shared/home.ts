/** The user's home folder, as cli.ts and start.ts pass it on to find the config and the cache. */
import os from 'node:os';

/**
 * os.homedir(), or '' when there is none: it reads `$HOME`, else the password database, and throws
 * when HOME is unset and the uid has no entry there (`docker run -u 1000` on an image without that
 * user, `env -i` in a cron job or a service). That ended every command in a stack trace, `--help`
 * included. '' is what `HOME=` gives: no `~/.config/agg`, no cache, as the README says.
 */
export function homeDir(): string {
  try {
    return os.homedir();
  } catch {
    return '';
  }
}
