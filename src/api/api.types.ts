/**
 * The contract between the HTTP layer and the service modules plugged into it. A service module
 * (one file under `src/api/services/`) declares its protocol, how requests find it, and a map
 * `Operation → handler`. Handlers take decoded wire input and return wire output; they never see
 * HTTP, and they throw ServiceError subclasses, which only the protocol codecs encode.
 *
 * Four protocols, one registration each: awsJson (`X-Amz-Target`), query and its `ec2` dialect
 * (form `Action` + `Version`), restJson1 (HTTP method + path template).
 */
import type { AwsContext } from '../platform/ids.ts';
import type { AuthFailure } from './authentication.types.ts';
import type { Principal } from './credentials.ports.ts';
import type { MemberShapes } from './json-shape.check.ts';

/**
 * Who signed the request. The values come from the SigV4 credential scope; once the signature
 * has been verified (sigv4-verify.ts, on by default) `verified` is true and `principal` names
 * the key's owner. Only a server built with `credentials: false` runs requests unverified.
 */
export interface Caller {
  /** Region of the credential scope when it is well-formed, else the server's default region. */
  readonly region: string;
  /** Access key id of the credential scope; absent for unsigned requests. */
  readonly accessKeyId?: string;
  /** Signing name of the scope (`logs`, `sts`, `scheduler`, …); absent for unsigned requests. */
  readonly signingService?: string;
  /** True once the signature has been checked against the key's secret (sigv4-verify.ts). */
  readonly verified: boolean;
  /** Who signed; set exactly when `verified`. */
  readonly principal?: Principal;
}

/** What the edge knows about one request, passed to every handler. */
export interface RequestContext {
  /** Sent back as `x-amzn-RequestId` (and inside query-protocol XML). */
  readonly requestId: string;
  /** Partition, account and region of this request (the region is `caller.region`). */
  readonly aws: AwsContext;
  readonly caller: Caller;
  /**
   * Why the request is not authenticated, when it is not: the dispatcher answers it in the
   * protocol's own error shape before the authorizer or handler runs.
   */
  readonly authFailure?: AuthFailure;
}

/** What every module declares, whatever its protocol. */
interface ModuleBase {
  /** SigV4 signing name (`logs`, `ecs`, `sts`, `scheduler`); also the `service` label in metrics. */
  readonly signingName: string;
  /**
   * Error code of unexpected failures (Logs: `ServiceUnavailableException`, ECS:
   * `ServerException`). @default the protocol's (`InternalFailure`; `InternalError` for ec2)
   */
  readonly internalErrorCode?: string;
}

/** One awsJson operation: the handler plus the model's member types, if known. */
export interface JsonOperation {
  /**
   * Input members and their JSON types at every depth (derived from the SDK's schema with
   * `operationInput`); a wrong type becomes `SerializationException`.
   */
  readonly input?: MemberShapes;
  handler(input: Record<string, unknown>, ctx: RequestContext): Promise<unknown>;
}

/** A service spoken as awsJson1.0/1.1: `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`. */
export interface JsonServiceModule extends ModuleBase {
  readonly protocol: 'awsJson1.0' | 'awsJson1.1';
  /** `Logs_20140328`, `AWSEvents`, `AmazonEC2ContainerServiceV20141113`. */
  readonly targetPrefix: string;
  /**
   * Member that carries the error text: `message` for Logs, ECS and Events (clients read either
   * spelling, but some services send `Message`). @default 'message'
   */
  readonly errorMessageKey?: 'message' | 'Message';
  readonly operations: Readonly<Record<string, JsonOperation>>;
}

/** Query-protocol parameters: the form body (and URL query) as flat `Name.member.N` pairs. */
export type QueryParams = Readonly<Record<string, string>>;

/**
 * One query or ec2 operation. Its result's members become XML elements named by their keys, in
 * order; arrays become list items (`<member>` for query, `<item>` for ec2), so a module names a
 * list by the model's `locationName` (`vpcSet`, `Tags`).
 */
export interface QueryOperation {
  handler(params: QueryParams, ctx: RequestContext): Promise<Record<string, unknown>>;
}

/** What query and ec2 modules share: found by signing name, else `Version`, else the action. */
interface FormModuleBase extends ModuleBase {
  /** `Version` parameter (`2011-06-15` for STS, `2016-11-15` for EC2). */
  readonly version: string;
  /** `xmlns` of responses, e.g. `https://sts.amazonaws.com/doc/2011-06-15/`. */
  readonly xmlNamespace: string;
  readonly operations: Readonly<Record<string, QueryOperation>>;
}

/**
 * A service spoken as the query protocol (STS, IAM): results as
 * `<OpResponse><OpResult>…</OpResult><ResponseMetadata/>`, errors as `<ErrorResponse>`.
 */
export interface QueryServiceModule extends FormModuleBase {
  readonly protocol: 'query';
}

/**
 * A service spoken as EC2's query dialect: the same form requests, but results as
 * `<OpResponse><requestId/>…members…</OpResponse>` (no Result wrapper, lists as `<item>`) and
 * errors as `<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`.
 */
export interface Ec2ServiceModule extends FormModuleBase {
  readonly protocol: 'ec2';
}

/** Modules reached by a form body / `Action` parameter. */
export type FormServiceModule = QueryServiceModule | Ec2ServiceModule;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * How a query-string parameter becomes an input member: the member's name (a string value), or
 * the name and a type to convert to. `list` collects every repetition (`?TagKeys=a&TagKeys=b`).
 */
export type QueryBinding =
  string | { readonly member: string; readonly type: 'string' | 'integer' | 'boolean' | 'list' };

/** One restJson1 operation: its HTTP binding (from the model's `@http` trait) and handler. */
export interface RestJsonOperation {
  readonly http: {
    readonly method: HttpMethod;
    /**
     * Path template: literal segments, `{Label}` (one segment, percent-decoded, bound to the
     * member of that name) and at most one greedy `{Label+}` (one or more segments).
     */
    readonly uri: string;
    /** Success status. @default 200 */
    readonly code?: number;
  };
  /** Query-string parameter name (the model's `@httpQuery`) → member. */
  readonly query?: Readonly<Record<string, QueryBinding>>;
  /** Header name (`@httpHeader`, any case) → member; string values. */
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body members and their types; a wrong type becomes `SerializationException`. */
  readonly body?: MemberShapes;
  /** Input = body members, then header, query and label members on top; output = JSON body. */
  handler(input: Record<string, unknown>, ctx: RequestContext): Promise<unknown>;
}

/** A service spoken as restJson1 (EventBridge Scheduler): routed by method and path. */
export interface RestJsonServiceModule extends ModuleBase {
  readonly protocol: 'restJson1';
  /** Member carrying the error text (Scheduler: `Message`). @default 'message' */
  readonly errorMessageKey?: 'message' | 'Message';
  readonly operations: Readonly<Record<string, RestJsonOperation>>;
}

/** Anything that can be registered with `createApiServer`. */
export type ServiceModule = JsonServiceModule | FormServiceModule | RestJsonServiceModule;

/** Minimal logger the server reports unexpected failures to. */
export interface ApiLogger {
  error(message: string, detail?: Record<string, unknown>): void;
  info?(message: string, detail?: Record<string, unknown>): void;
}
