import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig();
    assert.equal(config.port, 4566);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.accountId, '000000000000');
    assert.equal(config.stoppedTaskRetention, 3_600_000);
  });

  it('layers file < env < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cronbridge-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ port: 1000, host: '0.0.0.0', region: 'eu-west-1' }));
    const config = loadConfig({
      file,
      env: { CRONBRIDGE_PORT: '2000', CRONBRIDGE_REGION: 'eu-central-1' },
      flags: { port: 3000 },
    });
    assert.equal(config.port, 3000);
    assert.equal(config.region, 'eu-central-1');
    assert.equal(config.host, '0.0.0.0');
  });

  it('keeps run history 30 days unless told, never less than an hour', () => {
    assert.equal(loadConfig().historyRetention, 30 * 86_400_000);
    assert.equal(
      loadConfig({ env: { CRONBRIDGE_HISTORY_RETENTION: '7d' } }).historyRetention,
      7 * 86_400_000,
    );
    assert.throws(
      () => loadConfig({ flags: { historyRetention: '30m' } }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /historyRetention: must be at least 1h/);
        return true;
      },
    );
  });

  it('parses durations and explains bad values', () => {
    assert.equal(
      loadConfig({ flags: { stoppedTaskRetention: '90s' } }).stoppedTaskRetention,
      90_000,
    );
    assert.equal(
      loadConfig({ flags: { stoppedTaskRetention: '2 hours' } }).stoppedTaskRetention,
      7_200_000,
    );
    assert.throws(
      () => loadConfig({ flags: { stoppedTaskRetention: 'soon' } }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /stoppedTaskRetention: not a duration: 'soon'/);
        return true;
      },
    );
    assert.throws(
      () => loadConfig({ env: { CRONBRIDGE_ACCOUNT_ID: '12' } }),
      /accountId: must be 12 digits/,
    );
    assert.throws(() => loadConfig({ flags: { nope: 1 } as never }), /Unrecognized key/i);
  });

  it('keeps host access off unless a source turns it on', () => {
    assert.equal(loadConfig().allowHostAccess, false);
    assert.equal(
      loadConfig({ env: { CRONBRIDGE_ALLOW_HOST_ACCESS: 'true' } }).allowHostAccess,
      true,
    );
    assert.equal(loadConfig({ env: { CRONBRIDGE_ALLOW_HOST_ACCESS: '0' } }).allowHostAccess, false);
    assert.equal(
      loadConfig({
        env: { CRONBRIDGE_ALLOW_HOST_ACCESS: 'true' },
        flags: { allowHostAccess: false },
      }).allowHostAccess,
      false,
    );
    assert.throws(
      () => loadConfig({ env: { CRONBRIDGE_ALLOW_HOST_ACCESS: 'yes please' } }),
      /allowHostAccess/,
    );
  });
});
