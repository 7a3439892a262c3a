import type { IncomingMessage } from 'node:http';

/** How the sandbox tells AWS requests apart on their way to moto. */

/** STS (a query API) posts to "/"; S3 has no POST on the service root. */
export function isSts(method: string, path: string): boolean {
  return method === 'POST' && path === '/';
}

/** The access key a SigV4 request was signed with. */
export function signingKey(req: IncomingMessage): string | undefined {
  return /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
}
