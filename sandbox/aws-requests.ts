import type { IncomingMessage } from 'node:http';

/** How the sandbox tells AWS requests apart on their way to moto. */

/** The services moto serves behind the sandbox's AWS proxy. */
export type AwsService = 's3' | 'sts' | 'iam';

/** STS and IAM (query APIs) post to "/"; S3 has no POST on the service root. */
export function isQueryApi(method: string, path: string): boolean {
  return method === 'POST' && path === '/';
}

/** The service a SigV4 request was signed for: its credential scope, `Credential=KEY/DATE/REGION/SERVICE/aws4_request`. */
export function signingService(req: IncomingMessage): string | undefined {
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * S3, STS or IAM. STS and IAM both post a form to "/" on the same endpoint, so the
 * signature's credential scope (`/iam/aws4_request`) tells IAM apart, as moto does too.
 */
export function awsService(req: IncomingMessage): AwsService {
  if (!isQueryApi(req.method ?? 'GET', req.url ?? '/')) return 's3';
  return signingService(req) === 'iam' ? 'iam' : 'sts';
}

/** The operation of a query API request (STS, IAM): the form body's Action. */
export function queryAction(body: Buffer): string | undefined {
  return new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined;
}

/** The access key a SigV4 request was signed with. */
export function signingKey(req: IncomingMessage): string | undefined {
  return /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
}
