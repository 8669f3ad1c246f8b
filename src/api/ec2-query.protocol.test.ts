/** The ec2 query dialect through the server (in-process): routing, XML shapes, errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FORM, postForm, protocolServer, signedFor } from './protocols.test-support.ts';

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

describe('ec2 query dialect', () => {
  it('answers with <OpResponse><requestId/>…</OpResponse>, no Result wrapper', async () => {
    const { server, calls } = protocolServer();
    await using _ = server;
    const res = await postForm(
      server,
      'Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16',
    );
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/xml;charset=UTF-8');
    const id = String(res.headers['x-amzn-requestid']);
    assert.equal(
      res.body,
      `<CreateVpcResponse xmlns="${NS}"><requestId>${id}</requestId>` +
        '<vpc><vpcId>vpc-0123456789abcdef0</vpcId><state>pending</state>' +
        '<cidrBlock>10.0.0.0/16</cidrBlock></vpc></CreateVpcResponse>',
    );
    assert.equal(calls.length, 1);
    assert.equal((calls[0]?.input as Record<string, string>).CidrBlock, '10.0.0.0/16');
  });

  it('writes lists as <fooSet><item>…</item></fooSet> under the names the module gives', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const res = await postForm(
      server,
      'Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1',
    );
    assert.equal(res.statusCode, 200);
    const id = String(res.headers['x-amzn-requestid']);
    assert.equal(
      res.body,
      `<DescribeVpcsResponse xmlns="${NS}"><requestId>${id}</requestId><vpcSet>` +
        '<item><vpcId>vpc-1</vpcId><isDefault>false</isDefault>' +
        '<tagSet><item><key>Name</key><value>a&amp;b</value></item></tagSet></item>' +
        '<item><vpcId>vpc-2</vpcId><isDefault>true</isDefault><tagSet></tagSet></item>' +
        '</vpcSet></DescribeVpcsResponse>',
    );
  });

  it('encodes a thrown ServiceError as <Response><Errors><Error>… with RequestID', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const res = await postForm(server, 'Action=DeleteVpc&Version=2016-11-15&VpcId=vpc-nope');
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['content-type'], 'text/xml;charset=UTF-8');
    const id = String(res.headers['x-amzn-requestid']);
    assert.equal(
      res.body,
      '<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code>' +
        '<Message>The vpc ID &apos;vpc-nope&apos; does not exist</Message></Error></Errors>' +
        `<RequestID>${id}</RequestID></Response>`,
    );
  });

  it('answers unknown actions and unexpected failures in the ec2 envelope', async () => {
    const { server, logged } = protocolServer();
    await using _ = server;
    const invalid = await postForm(server, 'Action=RunInstances&Version=2016-11-15');
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /^<Response><Errors><Error><Code>InvalidAction<\/Code>/);

    const crash = await postForm(server, 'Action=Crash&Version=2016-11-15');
    assert.equal(crash.statusCode, 500);
    assert.match(crash.body, /^<Response><Errors><Error><Code>InternalError<\/Code>/);
    assert.doesNotMatch(crash.body, /internal detail/);
    assert.deepEqual(logged, ['unexpected failure in ec2.Crash']);
  });

  it('tells ec2 from STS by signing name, then by Version, then by the action alone', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const call = (payload: string, headers: Record<string, string> = {}) =>
      server.inject({ method: 'POST', url: '/', headers: { ...FORM, ...headers }, payload });

    const bySigning = await call('Action=DescribeVpcs', { authorization: signedFor('ec2') });
    assert.match(bySigning.body, /^<DescribeVpcsResponse xmlns="http:\/\/ec2/);
    const byVersion = await call('Action=DescribeVpcs&Version=2016-11-15');
    assert.match(byVersion.body, /^<DescribeVpcsResponse/);
    const byAction = await call('Action=DescribeVpcs');
    assert.match(byAction.body, /^<DescribeVpcsResponse/);

    // STS keeps its own envelope on the same port.
    const sts = await call('Action=GetCallerIdentity&Version=2011-06-15');
    assert.match(sts.body, /<GetCallerIdentityResult>/);
    // An EC2 action signed for STS goes to STS, which does not have it: query-shaped error.
    const wrong = await call('Action=DescribeVpcs', { authorization: signedFor('sts') });
    assert.equal(wrong.statusCode, 400);
    assert.match(
      wrong.body,
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/,
    );
  });
});
