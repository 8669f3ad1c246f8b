import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { amzDate, signRequest } from './sigv4.ts';

// The published vectors of aws-semantics.md §6.5 (AWS's suite and a botocore capture).
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const AT = Date.UTC(2015, 7, 30, 12, 36, 0);

describe('SigV4 signing', () => {
  it('formats X-Amz-Date', async () => {
    assert.equal(amzDate(AT), '20150830T123600Z');
  });

  it('matches AWS suite "get-vanilla"', async () => {
    const headers = await signRequest({
      method: 'GET',
      url: new URL('https://example.amazonaws.com/'),
      headers: {},
      body: '',
      region: 'us-east-1',
      service: 'service',
      credentials,
      nowMs: AT,
    });
    assert.equal(
      headers['authorization'],
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('matches the botocore capture of an awsJson1.1 POST', async () => {
    const body =
      '{"logGroupName": "/ecs/job", "logStreamName": "ecs/app/0123456789abcdef0123456789abcdef", ' +
      '"logEvents": [{"timestamp": 1440938160000, "message": "hello"}]}';
    const headers = await signRequest({
      method: 'POST',
      url: new URL('https://logs.us-east-1.amazonaws.com/'),
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'Logs_20140328.PutLogEvents',
      },
      body,
      region: 'us-east-1',
      service: 'logs',
      credentials,
      nowMs: AT,
    });
    assert.equal(headers['x-amz-date'], '20150830T123600Z');
    assert.equal(headers['host'], 'logs.us-east-1.amazonaws.com');
    assert.match(
      headers['authorization'] ?? '',
      /SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0d1f919e65083a5dcca1f30cc6dfa1ac29ee6b5dac37f66ba685098f732abfc3$/,
    );
  });

  it('keeps the port in the signed host and adds a session token when given', async () => {
    const headers = await signRequest({
      method: 'POST',
      url: new URL('http://127.0.0.1:4566/'),
      headers: {},
      body: '{}',
      region: 'eu-west-1',
      service: 'cronbridge',
      credentials: { ...credentials, sessionToken: 'tok' },
      nowMs: AT,
    });
    assert.equal(headers['host'], '127.0.0.1:4566');
    assert.equal(headers['x-amz-security-token'], 'tok');
    assert.match(
      headers['authorization'] ?? '',
      /Credential=AKIDEXAMPLE\/20150830\/eu-west-1\/cronbridge\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token,/,
    );
  });
});
