import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findConfig } from '../../src/config/index.js';
import { ConfigError, ConfigNotFoundError, UsageError } from '../../src/errors.js';
import { BIN, TEST_CACHE } from '../helpers/bin.js';

let root: string;
let cwd: string;
let home: string;
let xdg: string;

const touch = (file: string): string => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'sources: []\n');
  return file;
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'agg-find-'));
  cwd = path.join(root, 'project');
  home = path.join(root, 'home');
  xdg = path.join(root, 'xdg');
  mkdirSync(cwd);
  mkdirSync(home);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('findConfig', () => {
  it('looks at the flag, then $AGG_CONFIG, then ./sources.yaml, then XDG, then ~/.config', () => {
    const flag = touch(path.join(root, 'flag.yaml'));
    const fromEnv = touch(path.join(root, 'env.yaml'));
    touch(path.join(cwd, 'sources.yaml'));
    const inXdg = touch(path.join(xdg, 'agg', 'sources.yaml'));
    const inHome = touch(path.join(home, '.config', 'agg', 'sources.yaml'));
    const env = { AGG_CONFIG: fromEnv, XDG_CONFIG_HOME: xdg };

    expect(findConfig({ flag, env, cwd, home })).toBe(flag);
    expect(findConfig({ env, cwd, home })).toBe(fromEnv);
    expect(findConfig({ env: { XDG_CONFIG_HOME: xdg }, cwd, home })).toBe('sources.yaml');
    rmSync(path.join(cwd, 'sources.yaml'));
    expect(findConfig({ env: { XDG_CONFIG_HOME: xdg }, cwd, home })).toBe(inXdg);
    expect(findConfig({ env: {}, cwd, home })).toBe(inHome);
    // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    expect(findConfig({ env: { XDG_CONFIG_HOME: 'rel' }, cwd, home })).toBe(inHome);
  });

  it('keeps a relative flag as given, resolving it against cwd', () => {
    touch(path.join(cwd, 'conf', 'mine.yaml'));
    expect(findConfig({ flag: 'conf/mine.yaml', env: {}, cwd, home })).toBe('conf/mine.yaml');
  });

  it('fails on a flag or $AGG_CONFIG naming a missing file, without falling through', () => {
    touch(path.join(cwd, 'sources.yaml'));
    const flag = () => findConfig({ flag: 'missing.yaml', env: {}, cwd, home });
    expect(flag).toThrow(ConfigError);
    expect(flag).toThrow('missing.yaml: file not found (named by -c/--config)');
    const env = () => findConfig({ env: { AGG_CONFIG: 'gone.yaml' }, cwd, home });
    expect(env).toThrow('gone.yaml: file not found (named by $AGG_CONFIG)');
    // A ~ no shell expanded (`--config=~/agg.yaml`, `AGG_CONFIG="~/agg.yaml"`) says so, and what to write.
    touch(path.join(home, 'agg.yaml'));
    const hint = '; ~ is expanded by the shell, not by agg, and not after = or in quotes: write $HOME/agg.yaml';
    expect(() => findConfig({ flag: '~/agg.yaml', env: {}, cwd, home })).toThrow(
      `~/agg.yaml: file not found (named by -c/--config)${hint}`,
    );
    expect(() => findConfig({ env: { AGG_CONFIG: '~/agg.yaml' }, cwd, home })).toThrow(
      `~/agg.yaml: file not found (named by $AGG_CONFIG)${hint}`,
    );
    expect(() => findConfig({ flag: '.', env: {}, cwd, home })).toThrow(
      '.: is a folder, not a sources file (named by -c/--config)',
    );
    // A device is not a sources file: /dev/zero would be read to the size cap, a terminal until Ctrl-D.
    expect(() => findConfig({ flag: '/dev/zero', env: {}, cwd, home })).toThrow(
      '/dev/zero: is not a file or a pipe (named by -c/--config)',
    );
    // /dev/null is empty, not some device: said so, on standard input with what to do (a cron line's `< /dev/null`).
    expect(() => findConfig({ flag: '/dev/null', env: {}, cwd, home })).toThrow(
      '/dev/null: is empty: it is /dev/null (named by -c/--config)',
    );
    const fromNull = spawnSync(process.execPath, [BIN, 'sources', '-c', '-'], {
      stdio: [openSync('/dev/null', 'r'), 'pipe', 'pipe'],
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE },
    });
    expect(fromNull.status).toBe(2);
    expect(fromNull.stderr).toContain(
      '/dev/stdin: is empty: standard input is /dev/null; pipe the sources file in (named by -c -, standard input)',
    );
  });

  it('fails on an empty -c (`-c "$CFG"` with CFG unset) rather than falling through to ./sources.yaml', () => {
    touch(path.join(cwd, 'sources.yaml'));
    const empty = () => findConfig({ flag: '', env: {}, cwd, home });
    expect(empty).toThrow(UsageError);
    expect(empty).toThrow('-c/--config needs a file name, and was given an empty one');
  });

  it('takes a pipe the user named (`-c <(…)`, `-c /dev/stdin`), not only a regular file', () => {
    const fifo = path.join(root, 'sources.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(findConfig({ flag: fifo, env: {}, cwd, home })).toBe(fifo);
    expect(findConfig({ env: { AGG_CONFIG: fifo }, cwd, home })).toBe(fifo);
    const sources =
      'sources:\n  - name: piped\n    request: { url: "https://a.example/?q={{query}}" }\n    offers: items\n    fields: { title: t, price: p }\n';
    const file = path.join(root, 'piped.yaml');
    writeFileSync(file, sources);
    // Through a shell's pipe (a socket from Node is below).
    const run = spawnSync(
      'sh',
      ['-c', 'cat "$1" | "$2" "$3" sources -c /dev/stdin --json', 'sh', file, process.execPath, BIN],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE },
      },
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).map((s: { name: string }) => s.name)).toEqual(['piped']);
    // `-c -` is standard input, as other tools read it: it named a file called `-`, which was not found.
    const dash = spawnSync(
      'sh',
      ['-c', 'cat "$1" | "$2" "$3" sources -c - --json', 'sh', file, process.execPath, BIN],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE },
      },
    );
    expect(dash.stderr).toBe('');
    expect(JSON.parse(dash.stdout).map((s: { name: string }) => s.name)).toEqual(['piped']);
    // Standard input from a Node parent (or ssh's command) is a socket, which /dev/stdin cannot open:
    // it said "/dev/stdin: is not a file or a pipe".
    const fromNode = spawnSync(process.execPath, [BIN, 'sources', '-c', '-', '--json'], {
      input: sources,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE },
    });
    expect(fromNode.stderr).toBe('');
    expect(JSON.parse(fromNode.stdout).map((s: { name: string }) => s.name)).toEqual(['piped']);
    // `AGG_CONFIG=-` is standard input too: it was `-: file not found (named by $AGG_CONFIG)`.
    const fromEnv = spawnSync(process.execPath, [BIN, 'sources', '--json'], {
      input: sources,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE, AGG_CONFIG: '-' },
    });
    expect(fromEnv.stderr).toBe('');
    expect(JSON.parse(fromEnv.stdout).map((s: { name: string }) => s.name)).toEqual(['piped']);
  });

  it('agg demo -c - reads standard input that is a socket as search does', () => {
    // The demo read the file itself, which /dev/stdin cannot open for a socket: "cannot read: ENXIO".
    const example = fileURLToPath(new URL('../../sources.example.yaml', import.meta.url));
    const demo = spawnSync(process.execPath, [BIN, 'demo', 'sony', '-c', '-', '--json', '-q', '--source', 'ebay'], {
      input: readFileSync(example, 'utf8'),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE },
    });
    expect(demo.stderr).toBe('');
    expect(JSON.parse(demo.stdout).sources.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['ebay', 'ok'],
    ]);
  });

  // /proc tells when agg has the FIFO open; a system without it skips this one.
  it.runIf(existsSync('/proc/self/fd'))(
    'waits for a pipe’s writer without holding Ctrl-C back, and reads what it writes',
    async () => {
      const fifo = path.join(root, 'late.fifo');
      execFileSync('mkfifo', [fifo]);
      const agg = () => {
        const child = spawn(process.execPath, [BIN, 'sources', '-c', fifo, '--json'], {
          env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => {
          stdout += d;
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d;
        });
        const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
          child.on('exit', (code) => resolve({ code, stdout, stderr })),
        );
        return { child, exited };
      };
      // Waiting for it: agg has the FIFO open (and its Ctrl-C handler set), however slow the machine.
      const opened = async (pid: number | undefined): Promise<void> => {
        const holds = () =>
          readdirSync(`/proc/${pid}/fd`).some((fd) => {
            try {
              return readlinkSync(`/proc/${pid}/fd/${fd}`) === fifo;
            } catch {
              return false;
            }
          });
        await expect.poll(holds, { timeout: 10_000 }).toBe(true);
      };
      // Nobody ever writes: Ctrl-C ends the wait with 130, as it ends a search.
      const waiting = agg();
      await opened(waiting.child.pid);
      waiting.child.kill('SIGINT');
      expect(await waiting.exited).toEqual({ code: 130, stdout: '', stderr: 'agg: interrupted\n' });
      // A SIGTERM (`timeout 30 agg …`) says `terminated`, as its exit code 143 does, not Ctrl-C's word.
      const terminated = agg();
      await opened(terminated.child.pid);
      terminated.child.kill('SIGTERM');
      expect(await terminated.exited).toEqual({ code: 143, stdout: '', stderr: 'agg: terminated\n' });
      // A writer that comes late is read.
      const reading = agg();
      await opened(reading.child.pid);
      await writeFile(
        fifo,
        'sources:\n  - name: late\n    request: { url: "https://a.example/?q={{query}}" }\n    offers: items\n    fields: { title: t, price: p }\n',
      );
      const done = await reading.exited;
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout).map((s: { name: string }) => s.name)).toEqual(['late']);
    },
  );

  it('lists every place it looked when there is no file', () => {
    let error: unknown;
    try {
      findConfig({ env: { AGG_CONFIG: '' }, cwd, home });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigNotFoundError);
    const looked = [path.join(cwd, 'sources.yaml'), path.join(home, '.config', 'agg', 'sources.yaml')];
    expect((error as ConfigNotFoundError).looked).toEqual(looked);
    expect((error as Error).message).toContain(`looked in:\n  ${looked[0]}\n  ${looked[1]}\n`);
    // Where agg's own example is, to copy: run outside the repository, a bare name found nothing.
    const example = fileURLToPath(new URL('../../sources.example.yaml', import.meta.url));
    expect((error as Error).message).toContain(`copy ${example} to ./sources.yaml, or pass -c <file>`);
    expect(() => findConfig({ env: { XDG_CONFIG_HOME: xdg }, cwd, home })).toThrow(
      path.join(xdg, 'agg', 'sources.yaml'),
    );
  });

  it('says a folder named sources.yaml where it looks is one, rather than passing over it', () => {
    // It was 'no sources file found; looked in: …/sources.yaml', or the user's file was searched instead.
    mkdirSync(path.join(cwd, 'sources.yaml'));
    const user = touch(path.join(home, '.config', 'agg', 'sources.yaml'));
    const local = () => findConfig({ env: {}, cwd, home });
    expect(local).toThrow(ConfigError);
    expect(local).toThrow('sources.yaml: is a folder, not a sources file');
    rmSync(path.join(cwd, 'sources.yaml'), { recursive: true });
    rmSync(user);
    mkdirSync(user);
    expect(() => findConfig({ env: {}, cwd, home })).toThrow(`${user}: is a folder, not a sources file`);
    // From the command line: exit 2, no stack.
    const run = spawnSync(process.execPath, [BIN, 'sources'], {
      cwd: home,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: TEST_CACHE },
    });
    expect([run.status, run.stderr]).toEqual([2, `agg: ${user}: is a folder, not a sources file\n`]);
  });

  it('with no absolute home (`HOME=` in a cron job), has no user folder: not `.config` under the current one', () => {
    // A `.config/agg/sources.yaml` where agg happens to run is not the user's.
    touch(path.join(cwd, '.config', 'agg', 'sources.yaml'));
    for (const noHome of ['', '.', 'home']) {
      let error: unknown;
      try {
        findConfig({ env: {}, cwd, home: noHome });
      } catch (err) {
        error = err;
      }
      expect((error as ConfigNotFoundError).looked).toEqual([path.join(cwd, 'sources.yaml')]);
    }
    // An absolute XDG_CONFIG_HOME still counts.
    const user = touch(path.join(xdg, 'agg', 'sources.yaml'));
    expect(findConfig({ env: { XDG_CONFIG_HOME: xdg }, cwd, home: '' })).toBe(user);
  });
});
