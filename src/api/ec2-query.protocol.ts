/**
 * The codec of EC2's query dialect. Requests are the query protocol's (form `Action`, `Version`
 * `2016-11-15`, routed by query.protocol.ts); only the XML differs:
 *
 *   success  `<CreateVpcResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">`
 *            `<requestId>…</requestId><vpc>…</vpc></CreateVpcResponse>`
 *            — no `<…Result>` wrapper, no `ResponseMetadata`, lists as `<vpcSet><item>…`
 *   error    `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`
 *
 * The module names the elements: a handler returns `{ vpcSet: [...] }` with the model's
 * `locationName`s as keys (aws-semantics.md §6.3).
 */
import { CONTENT_TYPES, encodeEc2Error } from './api-errors.serialize.ts';
import type { Ec2ServiceModule } from './api.types.ts';
import type { ProtocolCodec } from './dispatch.ts';
import { escapeXml, members } from './xml.encode.ts';

/** EC2's own code for server faults (its API reference's server error codes). */
const EC2_INTERNAL_ERROR = 'InternalError';

export const ec2Codec: ProtocolCodec<Ec2ServiceModule> = {
  internalErrorCode: EC2_INTERNAL_ERROR,
  authErrors: 'ec2',
  success: (module, action, output, ctx) => {
    const xmlns = escapeXml(module.xmlNamespace);
    const result = output !== null && typeof output === 'object' ? members(output, 'item') : '';
    const body =
      `<${action}Response xmlns="${xmlns}"><requestId>${escapeXml(ctx.requestId)}</requestId>` +
      `${result}</${action}Response>`;
    return { status: 200, headers: { 'content-type': CONTENT_TYPES.ec2 }, body };
  },
  error: (_module, error, ctx) => encodeEc2Error(error, ctx.requestId),
};
