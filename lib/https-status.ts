import { get } from 'node:https';

export interface StatusOptions {
  /** Extra certificate authorities (AWS_CA_BUNDLE), like the SDK clients use. */
  ca: string | undefined;
  timeoutMs: number;
}

/** GETs an https URL anonymously and resolves with the status code; the body is drained, not kept. */
export function httpsStatus(url: string, options: StatusOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      { ...(options.ca === undefined ? {} : { ca: options.ca }), signal: AbortSignal.timeout(options.timeoutMs) },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
  });
}
