/**
 * The default subnets and security group of a region on a running cronbridge, looked up through
 * its EC2 API as an AWS user would (DescribeSubnets `default-for-az=true`, DescribeSecurityGroups
 * `group-name=default`). RunTask accepts only subnets and groups that exist in its region, so
 * integration tests that run awsvpc tasks against an endpoint use these. The lookup itself is the
 * unit tests' (src/engine/engine.test-support.ts), so both kinds of test find them one way.
 *
 *   const net = await defaultNetwork(fx.url, 'ap-northeast-1');
 */
export {
  awsvpc,
  type DefaultNetwork,
  defaultNetworkAt as defaultNetwork,
} from '../../src/engine/engine.test-support.ts';
