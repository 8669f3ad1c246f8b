/**
 * `cronbridge terraform <args…>`: the user's own `terraform`, with every AWS service cronbridge
 * serves pointed at its endpoint by a temporary `cronbridge_override.tf` (the habit `tflocal`
 * users have). `cronbridge terraform --print-override` prints that file instead, for those who
 * keep it in their repository. Terraform's exit code is passed through (`plan
 * -detailed-exitcode` keeps meaning 2 = changes).
 *
 * Options of ours come before Terraform's arguments; everything from the first argument that is
 * not ours on (including Terraform's own `-chdir=…`) goes to Terraform unchanged.
 */
import type { Command } from 'commander';

import { CliExit, type CliIo } from '../cli-io.ts';
import { type Env, resolveClientSettings } from '../client/client-settings.ts';
import { awsProviderAliases } from '../terraform/provider-aliases.ts';
import { providerOverride } from '../terraform/provider-override.ts';
import {
  configDirectory,
  runTerraform,
  TerraformNotFoundError,
} from '../terraform/terraform-run.ts';
import { usageError } from '../client/client-options.ts';

export interface TerraformDeps {
  io: CliIo;
  env?: Env;
  /** @default process.cwd() */
  cwd?: string;
}

/** The pair `cronbridge up` accepts on loopback by default, as LocalStack's `test`/`test`. */
const LOCAL_DEFAULT_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' };

interface TerraformFlags {
  endpoint?: string;
  region?: string;
  printOverride?: boolean;
}

export function configureTerraformCommand(program: Command, deps: TerraformDeps): void {
  program
    .command('terraform')
    .description(
      "run terraform against cronbridge: a temporary provider override points AWS's ec2, ecs, " +
        'events, iam, logs and sts at the endpoint (e.g. cronbridge terraform apply)',
    )
    .usage('[--endpoint <url>] [--region <region>] [--print-override] [terraform args…]')
    .option('--endpoint <url>', 'cronbridge API endpoint (default: env CRONBRIDGE_ENDPOINT)')
    .option(
      '--region <region>',
      'region for configurations that set none (default: AWS_REGION, else CRONBRIDGE_REGION)',
    )
    .option('--print-override', 'print the override file instead of running terraform')
    .argument('[args...]', "terraform's own arguments")
    .allowUnknownOption()
    .passThroughOptions()
    .helpOption('--cronbridge-help', 'show this help (terraform --help goes to terraform)')
    .action(async (args: string[], flags: TerraformFlags) => {
      const env = deps.env ?? process.env;
      const cwd = deps.cwd ?? process.cwd();
      let settings;
      try {
        settings = resolveClientSettings(
          {
            ...(flags.endpoint !== undefined ? { endpoint: flags.endpoint } : {}),
            ...(flags.region !== undefined ? { region: flags.region } : {}),
          },
          env,
        );
      } catch (error) {
        usageError(deps.io, (error as Error).message);
      }
      if (flags.printOverride) {
        const aliases = await awsProviderAliases(configDirectory(args, cwd));
        deps.io.stdout(
          providerOverride({
            endpoint: settings.endpoint,
            aliases,
            credentials: LOCAL_DEFAULT_KEYS,
          }),
        );
        return;
      }
      if (args.length === 0) usageError(deps.io, 'usage: cronbridge terraform <init|plan|apply|…>');
      // A configuration without a region (or a user without AWS_REGION) gets ours.
      const region =
        flags.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? settings.region;
      try {
        const code = await runTerraform({
          args,
          command: env['CRONBRIDGE_TERRAFORM'] || 'terraform',
          cwd,
          env: { ...env, AWS_REGION: region },
          note: deps.io.stderr,
          override: async (dir) =>
            providerOverride({
              endpoint: settings.endpoint,
              aliases: await awsProviderAliases(dir),
              credentials: settings.credentials,
            }),
        });
        if (code !== 0) throw new CliExit(code);
      } catch (error) {
        if (!(error instanceof TerraformNotFoundError)) throw error;
        deps.io.stderr(`cronbridge terraform: ${error.message}\n`);
        throw new CliExit(127);
      }
    });
}
