// AWS JSON 1.1 wire handling for the ECR Public sandbox: the error type and its
// messages, typed member access, SigV4 header checks, and (de)serialisation of
// bodies, response shapes and pagination tokens.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

export const JSON_11_CONTENT_TYPE = 'application/x-amz-json-1.1';
// The model's metadata.targetPrefix; every X-Amz-Target starts with it.
const TARGET_PREFIX = 'SpencerFrontendService';
// The model's metadata.signingName; the credential scope must name it.
const SIGNING_NAME = 'ecr-public';

export type JsonObject = Record<string, unknown>;

/** An error the API reports to the caller as `{"__type": code, "message": ...}`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = code;
  }
}

const inRegistry = (name: string, registryId: string): string =>
  `the repository with name '${name}' in the registry with id '${registryId}'`;

/** The service's errors, worded the way the ECR services word them. */
export const errors = {
  repositoryNotFound: (name: string, registryId: string) =>
    new ApiError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
    ),
  repositoryAlreadyExists: (name: string, registryId: string) =>
    new ApiError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
    ),
  repositoryNotEmpty: (name: string, registryId: string) =>
    new ApiError(
      'RepositoryNotEmptyException',
      `The repository cannot be deleted because it still contains images: ${inRegistry(name, registryId)}`,
    ),
  policyNotFound: (name: string, registryId: string) =>
    new ApiError('RepositoryPolicyNotFoundException', `Repository policy does not exist for ${inRegistry(name, registryId)}`),
  catalogDataNotFound: (name: string, registryId: string) =>
    new ApiError('RepositoryCatalogDataNotFoundException', `Catalog data does not exist for ${inRegistry(name, registryId)}`),
  tooManyTags: (limit: number) =>
    new ApiError('TooManyTagsException', `The maximum number of tags that can be applied to a repository is ${limit}`),
  limitExceeded: (limit: number) =>
    new ApiError('LimitExceededException', `The maximum number of repositories in the registry (${limit}) has been reached`),
};

export function invalidParameter(field: string, constraint: string): ApiError {
  // Wording follows the ECR services' constraint-violation messages.
  return new ApiError('InvalidParameterException', `Invalid parameter at '${field}' failed to satisfy constraint: '${constraint}'`);
}

function serializationError(field: string, expected: string): ApiError {
  return new ApiError('SerializationException', `Member '${field}' must be ${expected}`);
}

export function parseJsonObject(body: string): JsonObject {
  // The SDKs always send "{}" for empty input; an empty body is treated the same.
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError('SerializationException', 'Request body is not valid JSON');
  }
  if (!isObject(parsed)) throw new ApiError('SerializationException', 'Request body must be a JSON object');
  return parsed;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the operation named by X-Amz-Target, or undefined when absent/foreign. */
export function parseTarget(headers: IncomingHttpHeaders): string | undefined {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string') return undefined;
  const [prefix, operation, ...rest] = target.split('.');
  if (prefix !== TARGET_PREFIX || !operation || rest.length > 0) return undefined;
  return operation;
}

/**
 * Signatures are not verified (sandbox), but the header must exist and look like
 * SigV4 for ecr-public, which is what AWS checks before anything else.
 */
export function checkAuthorization(headers: IncomingHttpHeaders, region: string): void {
  const auth = headers.authorization;
  if (auth === undefined || auth === '') {
    throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const credential = /^AWS4-HMAC-SHA256 Credential=([^,\s]+)/.exec(auth)?.[1];
  const scope = credential?.split('/');
  if (!scope || scope.length !== 5 || !/SignedHeaders=/.test(auth) || !/Signature=/.test(auth)) {
    throw new ApiError('IncompleteSignatureException', 'Authorization header is not a complete SigV4 signature');
  }
  // Scope is AKID/date/region/service/aws4_request; AWS rejects a foreign region or service.
  if (scope[2] !== region) {
    throw new ApiError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'.`);
  }
  if (scope[3] !== SIGNING_NAME) {
    throw new ApiError('InvalidSignatureException', `Credential should be scoped to correct service: '${SIGNING_NAME}'.`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_11_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': requestId,
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: ApiError, requestId: string): void {
  res.setHeader('x-amzn-ErrorType', error.code);
  sendJson(res, error.status, { __type: error.code, message: error.message }, requestId);
}

// Typed member readers: a wrong JSON type is a SerializationException in AWS JSON
// protocols, distinct from constraint violations (InvalidParameterException).

export function optionalString(input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serializationError(field, 'a string');
  return value;
}

export function requiredString(input: JsonObject, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined) throw invalidParameter(field, 'Member must not be null');
  return value;
}

export function optionalBoolean(input: JsonObject, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw serializationError(field, 'a boolean');
  return value;
}

export function optionalInteger(input: JsonObject, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw serializationError(field, 'an integer');
  return value;
}

export function optionalList(input: JsonObject, field: string): unknown[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError(field, 'a list');
  return value as unknown[];
}

export function optionalStringList(input: JsonObject, field: string): string[] | undefined {
  const list = optionalList(input, field);
  if (list?.some((item) => typeof item !== 'string')) throw serializationError(field, 'a list of strings');
  return list as string[] | undefined;
}

export function optionalObject(input: JsonObject, field: string): JsonObject | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw serializationError(field, 'a structure');
  return value;
}

// Response shapes shared by several operations (member names from the model).

export function repositoryShape(accountId: string, alias: string, name: string, createdAt: number): JsonObject {
  return {
    // ECR Public ARNs carry no region: the service is global behind us-east-1.
    repositoryArn: `arn:aws:ecr-public::${accountId}:repository/${name}`,
    registryId: accountId,
    repositoryName: name,
    repositoryUri: `public.ecr.aws/${alias}/${name}`,
    createdAt,
  };
}

export function registryShape(accountId: string, alias: string): JsonObject {
  return {
    registryId: accountId,
    registryArn: `arn:aws:ecr-public::${accountId}:registry/${accountId}`,
    registryUri: `public.ecr.aws/${alias}`,
    verified: false,
    aliases: [{ name: alias, status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true }],
  };
}

export function tagListShape(tags: ReadonlyMap<string, string>): JsonObject[] {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

/** Pagination tokens are opaque to callers; ours wrap the last name returned. */
export function encodeNextToken(lastName: string): string {
  return Buffer.from(lastName).toString('base64url');
}

export function decodeNextToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (name === '' || encodeNextToken(name) !== token) {
    throw new ApiError('InvalidParameterException', "Invalid parameter at 'nextToken': the token is not valid");
  }
  return name;
}
