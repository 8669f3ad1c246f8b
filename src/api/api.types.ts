/**
 * The contract between the HTTP layer and the service modules plugged into it. A service module
 * (one file under `src/api/services/`) declares its protocol, how requests find it, and a map
 * `Operation → handler`. Handlers take decoded wire input and return wire output; they never see
 * HTTP, and they throw ServiceError subclasses, which only `api-errors.serialize.ts` encodes.
 */
import type { AwsContext } from '../platform/ids.ts';
import type { MemberShapes } from './json-shape.check.ts';

/** What the edge knows about one request, passed to every handler. */
export interface RequestContext {
  /** Sent back as `x-amzn-RequestId` (and inside query-protocol XML). */
  readonly requestId: string;
  /**
   * Partition, account and region of this request: the region comes from the SigV4 credential
   * scope when the client signed, else from the server's configured default.
   */
  readonly aws: AwsContext;
  /**
   * Access key id from the SigV4 credential scope, if the request was signed. Signatures are not
   * verified yet (IAM comes later); this is kept so the caller identity can be derived then.
   */
  readonly accessKeyId?: string;
  /** Signing name from the credential scope (`logs`, `sts`, …), if signed. */
  readonly signingService?: string;
}

/** One awsJson operation: the handler plus the model's top-level member types, if known. */
export interface JsonOperation {
  /** Input members and their JSON types; a wrong type becomes `SerializationException`. */
  readonly input?: MemberShapes;
  handler(input: Record<string, unknown>, ctx: RequestContext): Promise<unknown>;
}

/** A service spoken as awsJson1.0/1.1: `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`. */
export interface JsonServiceModule {
  readonly protocol: 'awsJson1.0' | 'awsJson1.1';
  /** SigV4 signing name (`logs`, `ecs`, `events`); also the `service` label in metrics. */
  readonly signingName: string;
  /** `Logs_20140328`, `AWSEvents`, `AmazonEC2ContainerServiceV20141113`. */
  readonly targetPrefix: string;
  /**
   * Member that carries the error text: `message` for Logs, ECS and Events (clients read either
   * spelling, but some services send `Message`). @default 'message'
   */
  readonly errorMessageKey?: 'message' | 'Message';
  /** `__type` of unexpected failures (Logs: `ServiceUnavailableException`). @default 'InternalFailure' */
  readonly internalErrorCode?: string;
  readonly operations: Readonly<Record<string, JsonOperation>>;
}

/** Query-protocol parameters: the form body (and URL query) as flat `Name.member.N` pairs. */
export type QueryParams = Readonly<Record<string, string>>;

/** One query operation. Its result becomes `<OpResult>` with one element per member. */
export interface QueryOperation {
  handler(params: QueryParams, ctx: RequestContext): Promise<Record<string, unknown>>;
}

/** A service spoken as the query protocol: form body `Action=<Op>&Version=<apiVersion>&…`. */
export interface QueryServiceModule {
  readonly protocol: 'query';
  /** SigV4 signing name (`sts`, `iam`): the first way to tell query services apart. */
  readonly signingName: string;
  /** `Version` parameter (`2011-06-15` for STS): the second way. */
  readonly version: string;
  /** `xmlns` of responses and errors, e.g. `https://sts.amazonaws.com/doc/2011-06-15/`. */
  readonly xmlNamespace: string;
  readonly operations: Readonly<Record<string, QueryOperation>>;
}

/** Anything that can be registered with {@link createApiServer}. */
export type ServiceModule = JsonServiceModule | QueryServiceModule;

/** Minimal logger the server reports unexpected failures to. */
export interface ApiLogger {
  error(message: string, detail?: Record<string, unknown>): void;
  info?(message: string, detail?: Record<string, unknown>): void;
}
