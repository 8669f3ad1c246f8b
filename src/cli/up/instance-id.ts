/**
 * The instance id of a data directory: generated on the first `up` and kept in
 * `<dataDir>/instance-id`. The supervisor labels containers with it, and recovery adopts only
 * containers with the same label, so a restart re-adopts its own tasks while another cronbridge
 * on the same engine (another data directory) never takes them for orphans.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { randomHex } from '../../platform/ids.ts';

export const INSTANCE_ID_FILE = 'instance-id';

/** Label values allow far more, but a plain token is safe in file, label and log alike. */
const VALID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Reads the data directory's instance id, creating the directory and the id on first use. */
export function loadInstanceId(dataDir: string): string {
  const path = join(dataDir, INSTANCE_ID_FILE);
  let existing: string | undefined;
  try {
    existing = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing !== undefined) {
    if (!VALID.test(existing)) {
      throw new Error(
        `${path} holds '${existing}', which is not an instance id; delete the file only if no ` +
          'container of this data directory is still running (a new id would orphan them)',
      );
    }
    return existing;
  }
  mkdirSync(dataDir, { recursive: true });
  const id = `cb-${randomHex(16)}`;
  // 'wx' fails if another process created it meanwhile; then its id wins.
  try {
    writeFileSync(path, `${id}\n`, { flag: 'wx' });
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadInstanceId(dataDir);
    throw error;
  }
}
