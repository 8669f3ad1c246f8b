/**
 * Runs the user's `terraform` with the cronbridge override in place: writes
 * `cronbridge_override.tf` into the configuration directory (the `-chdir=` one if given), runs
 * Terraform with the terminal handed over, and removes the file afterwards, whatever the exit.
 * A file of that name that was already there is the user's (kept from `--print-override`): it is
 * used as it is and never removed.
 */
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { resolve } from 'node:path';

import { OVERRIDE_FILE_NAME } from './provider-override.ts';

export interface TerraformRunOptions {
  /** Terraform's arguments, as the user typed them after `cronbridge terraform`. */
  args: readonly string[];
  /** The override file's text for this run. */
  override: (configDir: string) => Promise<string>;
  /** The terraform executable. */
  command: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Where notes to the user go (a kept override file, a missing terraform). */
  note: (text: string) => void;
}

/** Thrown when the terraform executable cannot be started at all. */
export class TerraformNotFoundError extends Error {}

/** The configuration directory Terraform will read: `-chdir=DIR` (before the subcommand) or cwd. */
export function configDirectory(args: readonly string[], cwd: string): string {
  for (const arg of args) {
    const chdir = /^--?chdir=(.+)$/.exec(arg);
    if (chdir) return resolve(cwd, chdir[1] as string);
    if (!arg.startsWith('-')) break; // the subcommand: global options end here
  }
  return cwd;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Waits for terraform; Ctrl-C reaches it directly (same process group), we only outlive it. */
function runChild(options: TerraformRunOptions): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: 'inherit',
    });
    // Terraform stops gracefully on the terminal's SIGINT (it gets its own copy); staying alive
    // until it has lets us remove the override. SIGTERM from a supervisor is passed on.
    const ignoreInterrupt = () => undefined;
    const forwardTerm = () => child.kill('SIGTERM');
    process.on('SIGINT', ignoreInterrupt);
    process.on('SIGTERM', forwardTerm);
    const done = () => {
      process.off('SIGINT', ignoreInterrupt);
      process.off('SIGTERM', forwardTerm);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      done();
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        reject(
          new TerraformNotFoundError(
            `cannot run '${options.command}' (${error.code}): install Terraform (1.5 or later) ` +
              'and put it on PATH, or name the executable in CRONBRIDGE_TERRAFORM',
          ),
        );
      } else {
        reject(error);
      }
    });
    child.on('exit', (code, signal) => {
      done();
      resolveExit(code ?? (signal ? 128 + constants.signals[signal] : 1));
    });
  });
}

/** Runs terraform with the override in place and resolves to terraform's exit code. */
export async function runTerraform(options: TerraformRunOptions): Promise<number> {
  const dir = configDirectory(options.args, options.cwd);
  const path = resolve(dir, OVERRIDE_FILE_NAME);
  const wanted = await options.override(dir);
  const existing = await readIfPresent(path);
  if (existing !== undefined) {
    options.note(
      existing === wanted
        ? `cronbridge terraform: using ${OVERRIDE_FILE_NAME} as it is in ${dir}\n`
        : `cronbridge terraform: ${path} is not what this run would write (another endpoint, ` +
            'keys or provider aliases?); using it as it is. Delete it to let cronbridge ' +
            'write a fresh one for each run.\n',
    );
    return runChild(options);
  }
  // `wx`: if a file appears between the check and the write, it is not ours to overwrite.
  await writeFile(path, wanted, { flag: 'wx' });
  try {
    return await runChild(options);
  } finally {
    await rm(path, { force: true });
  }
}
