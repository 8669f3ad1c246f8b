/**
 * Real Terraform for tests: finds the `terraform` binary and the local provider mirror (no
 * registry is reachable here), writes a CLI configuration that installs the AWS provider from
 * the mirror only, and runs `cronbridge terraform …` the way a user does. Missing pieces are
 * errors with the fix in the message, never a silent skip: the Terraform path is a promise of
 * the README.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { type CliResult, runProcess } from './aws-cli.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Folders where a filesystem mirror usually sits (Terraform's implied mirror paths first). */
const MIRROR_CANDIDATES = [
  join(homedir(), '.terraform.d/plugins'),
  '/usr/local/share/terraform/plugins',
  '/usr/share/terraform/plugins',
  '/opt/tf-plugins',
];

/** The terraform executable: CRONBRIDGE_TERRAFORM, else `terraform` on PATH. */
export function findTerraform(): string {
  const named = process.env['CRONBRIDGE_TERRAFORM'] || 'terraform';
  try {
    execFileSync(named, ['version'], { stdio: 'ignore', timeout: 30_000 });
    return named;
  } catch {
    throw new Error(
      `no terraform binary found ('${named}' did not run): the Terraform test needs Terraform ` +
        '1.5+ on PATH (or CRONBRIDGE_TERRAFORM naming it) and the AWS provider in a local mirror',
    );
  }
}

function hasAwsProvider(mirror: string): boolean {
  const dir = join(mirror, 'registry.terraform.io/hashicorp/aws');
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/**
 * The folder holding `registry.terraform.io/hashicorp/aws/<version>/…`: CRONBRIDGE_TF_MIRROR,
 * else the usual places, else a search of the root file system for the provider binary.
 */
export function findProviderMirror(): string {
  const named = process.env['CRONBRIDGE_TF_MIRROR'];
  if (named) {
    if (hasAwsProvider(named)) return named;
    throw new Error(`CRONBRIDGE_TF_MIRROR=${named} holds no registry.terraform.io/hashicorp/aws`);
  }
  for (const candidate of MIRROR_CANDIDATES) if (hasAwsProvider(candidate)) return candidate;
  let found = '';
  try {
    found = execFileSync(
      'find',
      ['/', '-xdev', '-name', 'terraform-provider-aws_v*', '-path', '*registry.terraform.io*'],
      { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'ignore'] },
    );
  } catch (error) {
    found = (error as { stdout?: string }).stdout ?? '';
  }
  const binary = found.split('\n').find(Boolean);
  if (binary) {
    // <mirror>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_v…
    return dirname(dirname(dirname(dirname(dirname(dirname(binary))))));
  }
  throw new Error(
    'no local mirror of the Terraform AWS provider found (looked in ' +
      `${MIRROR_CANDIDATES.join(', ')} and searched /): set CRONBRIDGE_TF_MIRROR to the folder ` +
      'above registry.terraform.io',
  );
}

/** A CLI configuration installing hashicorp/aws from `mirror` only (`direct` excluded). */
export function writeTerraformCliConfig(path: string, mirror: string): void {
  writeFileSync(
    path,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
}

export interface TerraformSession {
  /** `cronbridge terraform <args> -input=false -no-color`, logging the provider's calls. */
  run(args: readonly string[], logName: string): Promise<CliResult>;
  /** Provider debug logs written so far (one per run), for the operation census. */
  readonly logFiles: string[];
}

/** Runs `cronbridge terraform` in `workDir` against `endpoint`, with its own CLI config. */
export function terraformSession(options: {
  workDir: string;
  endpoint: string;
  terraform: string;
  cliConfig: string;
}): TerraformSession {
  const logFiles: string[] = [];
  return {
    logFiles,
    async run(args, logName) {
      const logFile = join(options.workDir, `${logName}.tf-debug.log`);
      logFiles.push(logFile);
      const env: Record<string, string> = {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: process.env['HOME'] ?? '/root',
        CRONBRIDGE_ENDPOINT: options.endpoint,
        CRONBRIDGE_TERRAFORM: options.terraform,
        TF_CLI_CONFIG_FILE: options.cliConfig,
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
        TF_LOG: 'DEBUG',
        TF_LOG_PATH: logFile,
      };
      const [subcommand, ...rest] = args;
      return runProcess(
        process.execPath,
        [
          join(ROOT, 'bin/cronbridge.mjs'),
          'terraform',
          subcommand as string,
          ...rest,
          '-input=false',
          '-no-color',
        ],
        { env, cwd: options.workDir, timeoutMs: 300_000 },
      );
    },
  };
}
