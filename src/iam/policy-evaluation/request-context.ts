/**
 * The global condition keys AWS fills in from the caller and the request (IAM User Guide, "AWS
 * global condition context keys"). iam-simulate does not derive them, so we do: the principal's
 * ARN (a session's role ARN, as AWS does for `aws:PrincipalArn`), account, type, user name, the
 * requested region and the time. Keys the caller supplies (`aws:SourceArn`, tags, service keys)
 * win over none of these; they are merged after.
 */
import type { ContextValue } from './policy-evaluator.ts';

/** What the principal ARN tells us. */
export interface PrincipalInfo {
  readonly kind: 'root' | 'user' | 'role' | 'assumed-role' | 'service' | 'other';
  readonly account?: string;
  /** For users and roles their name; for sessions the role name. */
  readonly name?: string;
  /** For sessions: the role's ARN (`arn:…:iam::acct:role/name`, without the role's path). */
  readonly roleArn?: string;
  readonly sessionName?: string;
}

/** Classifies a principal: an IAM/STS ARN or a service principal (`events.amazonaws.com`). */
export function parsePrincipal(principal: string): PrincipalInfo {
  if (!principal.startsWith('arn:')) {
    return principal.endsWith('.amazonaws.com') ? { kind: 'service' } : { kind: 'other' };
  }
  const parts = principal.split(':');
  const [, partition, service, , account] = parts;
  const resource = parts.slice(5).join(':');
  if (service === 'iam' && resource === 'root') return { kind: 'root', account };
  if (service === 'iam' && resource.startsWith('user/')) {
    return { kind: 'user', account, name: resource.slice(resource.lastIndexOf('/') + 1) };
  }
  if (service === 'iam' && resource.startsWith('role/')) {
    return { kind: 'role', account, name: resource.slice(resource.lastIndexOf('/') + 1) };
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const [, name, sessionName] = resource.split('/');
    return {
      kind: 'assumed-role',
      account,
      name,
      sessionName,
      roleArn: `arn:${partition}:iam::${account}:role/${name}`,
    };
  }
  return { kind: 'other', account };
}

/** Request facts the global keys come from. */
export interface RequestFacts {
  readonly region?: string;
  /** Request time, ms since the epoch (from the injected clock). */
  readonly now: number;
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
  /** Tags of the calling user or role (`aws:PrincipalTag/<key>`). */
  readonly principalTags?: Readonly<Record<string, string>>;
}

const PRINCIPAL_TYPE: Partial<Record<PrincipalInfo['kind'], string>> = {
  root: 'Account',
  user: 'User',
  role: 'AssumedRole',
  'assumed-role': 'AssumedRole',
};

/** The global keys for one request by `principal`. */
export function globalContext(
  principal: string,
  facts: RequestFacts,
): Record<string, ContextValue> {
  const info = parsePrincipal(principal);
  const out: Record<string, ContextValue> = {
    'aws:CurrentTime': new Date(facts.now).toISOString(),
    'aws:EpochTime': String(Math.floor(facts.now / 1000)),
  };
  if (facts.region !== undefined) out['aws:RequestedRegion'] = facts.region;
  if (facts.sourceIp !== undefined) out['aws:SourceIp'] = facts.sourceIp;
  if (facts.secureTransport !== undefined) {
    out['aws:SecureTransport'] = String(facts.secureTransport);
  }
  if (info.kind === 'service') {
    out['aws:PrincipalServiceName'] = principal;
    return out;
  }
  out['aws:PrincipalArn'] = info.roleArn ?? principal;
  if (info.account !== undefined) out['aws:PrincipalAccount'] = info.account;
  const type = PRINCIPAL_TYPE[info.kind];
  if (type !== undefined) out['aws:PrincipalType'] = type;
  // AWS sets aws:username for IAM users only.
  if (info.kind === 'user' && info.name !== undefined) out['aws:username'] = info.name;
  for (const [key, value] of Object.entries(facts.principalTags ?? {})) {
    out[`aws:PrincipalTag/${key}`] = value;
  }
  return out;
}
