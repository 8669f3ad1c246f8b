/**
 * Checks what the Terraform test needs and cannot install (no registry is reachable from CI): a
 * terraform binary and the hashicorp/aws provider in a local filesystem mirror. Fails early with
 * what is missing rather than minutes later in the test. It uses the test's own finders
 * (test/support/terraform.ts), so the check and the test can never look in different places.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { findProviderMirror, findTerraform } from '../../test/support/terraform.ts';

try {
  const terraform = findTerraform();
  const version = execFileSync(terraform, ['version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).split('\n')[0];
  const mirror = findProviderMirror();
  const versions = readdirSync(join(mirror, 'registry.terraform.io/hashicorp/aws')).join(' ');
  console.log(`check-terraform: ${version}; provider mirror ${mirror} (${versions})`);
} catch (error) {
  console.error(`check-terraform: ${(error as Error).message}`);
  process.exit(1);
}
