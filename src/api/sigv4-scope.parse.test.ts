import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseAuthorizationScope, parseQueryScope } from './sigv4-scope.parse.ts';

describe('SigV4 credential scope', () => {
  it('reads key, date, region and service from a botocore Authorization header', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/logs/aws4_request, ' +
      'SignedHeaders=content-type;host;x-amz-date;x-amz-target, ' +
      'Signature=0d1f919e65083a5dcca1f30cc6dfa1ac29ee6b5dac37f66ba685098f732abfc3';
    assert.deepEqual(parseAuthorizationScope(header), {
      accessKeyId: 'AKIDEXAMPLE',
      date: '20150830',
      region: 'us-east-1',
      service: 'logs',
    });
  });

  it('accepts the comma-without-space form aws-sdk-go sends', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=test/20240101/eu-west-1/sts/aws4_request,SignedHeaders=host,Signature=ab';
    assert.equal(parseAuthorizationScope(header)?.region, 'eu-west-1');
    assert.equal(parseAuthorizationScope(header)?.service, 'sts');
  });

  it('ignores missing, malformed and non-SigV4 headers', () => {
    assert.equal(parseAuthorizationScope(undefined), undefined);
    assert.equal(parseAuthorizationScope('Bearer abc'), undefined);
    assert.equal(parseAuthorizationScope('AWS AKID:signature'), undefined);
    assert.equal(
      parseAuthorizationScope('AWS4-HMAC-SHA256 Credential=AKID/2015/us-east-1/logs/aws4_request'),
      undefined,
    );
  });

  it('reads X-Amz-Credential of presigned requests', () => {
    assert.equal(
      parseQueryScope('AKID/20150830/ap-south-1/sts/aws4_request')?.region,
      'ap-south-1',
    );
  });
});
