import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClientSettingsError, resolveClientSettings } from './client-settings.ts';

describe('client settings: defaults < environment < flags', () => {
  it('defaults to the address `cronbridge up` listens on, dummy keys, us-east-1', () => {
    assert.deepEqual(resolveClientSettings({}, {}), {
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  it('follows the server configuration: CRONBRIDGE_PORT / CRONBRIDGE_HOST', () => {
    assert.equal(
      resolveClientSettings({}, { CRONBRIDGE_PORT: '5000' }).endpoint,
      'http://127.0.0.1:5000',
    );
    // A wildcard listen address is reached on loopback; an IPv6 host gets brackets.
    assert.equal(
      resolveClientSettings({}, { CRONBRIDGE_HOST: '0.0.0.0' }).endpoint,
      'http://127.0.0.1:4566',
    );
    assert.equal(
      resolveClientSettings({}, { CRONBRIDGE_HOST: '::1' }).endpoint,
      'http://[::1]:4566',
    );
  });

  it('CRONBRIDGE_ENDPOINT beats the server configuration, --endpoint beats both', () => {
    const env = { CRONBRIDGE_PORT: '5000', CRONBRIDGE_ENDPOINT: 'http://10.0.0.5:4566/' };
    assert.equal(resolveClientSettings({}, env).endpoint, 'http://10.0.0.5:4566');
    assert.equal(
      resolveClientSettings({ endpoint: 'https://cron.example:8443' }, env).endpoint,
      'https://cron.example:8443',
    );
  });

  it('takes the region from --region, else CRONBRIDGE_REGION; keys from AWS_* when both set', () => {
    const env = {
      CRONBRIDGE_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'tok',
    };
    const settings = resolveClientSettings({}, env);
    assert.equal(settings.region, 'eu-west-1');
    assert.deepEqual(settings.credentials, {
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      sessionToken: 'tok',
    });
    assert.equal(resolveClientSettings({ region: 'ap-south-1' }, env).region, 'ap-south-1');
    // Only half a key pair: the dummy keys, not a broken signature.
    assert.equal(
      resolveClientSettings({}, { AWS_ACCESS_KEY_ID: 'AKID' }).credentials.accessKeyId,
      'test',
    );
  });

  it("signs with the server's configured root key when no AWS_* pair is set", () => {
    const env = {
      CRONBRIDGE_ROOT_ACCESS_KEY_ID: 'AKIAOURROOTKEY000001',
      CRONBRIDGE_ROOT_SECRET_ACCESS_KEY: 'a-long-secret-of-our-own',
      CRONBRIDGE_ENDPOINT: 'http://127.0.0.1:4999',
    };
    assert.deepEqual(resolveClientSettings({}, env).credentials, {
      accessKeyId: 'AKIAOURROOTKEY000001',
      secretAccessKey: 'a-long-secret-of-our-own',
    });
    // An AWS_* pair still wins: it may be an IAM user's key on the same server.
    const asUser = { ...env, AWS_ACCESS_KEY_ID: 'AKIAUSER', AWS_SECRET_ACCESS_KEY: 'user-secret' };
    assert.equal(resolveClientSettings({}, asUser).credentials.accessKeyId, 'AKIAUSER');
  });

  it('rejects what cannot work, naming where it came from', () => {
    assert.throws(
      () => resolveClientSettings({ endpoint: 'localhost:4566' }, {}),
      (e: Error) =>
        e instanceof ClientSettingsError && /--endpoint: 'localhost:4566'/.test(e.message),
    );
    assert.throws(
      () => resolveClientSettings({}, { CRONBRIDGE_ENDPOINT: 'ftp://x' }),
      /CRONBRIDGE_ENDPOINT: 'ftp:\/\/x' must be an http:\/\/ or https:\/\/ URL/,
    );
    assert.throws(() => resolveClientSettings({ region: 'mars' }, {}), /region 'mars'/);
    assert.throws(
      () => resolveClientSettings({}, { CRONBRIDGE_PORT: 'abc' }),
      (e: Error) => e instanceof ClientSettingsError && /port/.test(e.message),
    );
  });
});
