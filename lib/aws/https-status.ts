import { get } from 'node:https';

export interface StatusOptions {
  /** The certificate authorities the SDK clients trust (with AWS_CA_BUNDLE's), or Node's default. */
  ca: string[] | undefined;
  timeoutMs: number;
  /** Stops the request (doctor's bound, Ctrl-C); its socket is closed. */
  signal: AbortSignal;
}

/** GETs an https URL anonymously and resolves with the status code; the body is drained, not kept. */
export function httpsStatus(url: string, options: StatusOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      {
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
  });
}
