import { randomBytes } from 'node:crypto';

export interface SandboxCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * Fresh random credentials per sandbox: moto accepts any, and random values make the
 * "never printed" checks meaningful (a leak cannot hide behind a well-known string).
 */
export function sandboxCredentials(): SandboxCredentials {
  return {
    accessKeyId: `SBX${randomBytes(8).toString('hex').toUpperCase()}`.slice(0, 20),
    secretAccessKey: randomBytes(30).toString('base64url'),
    sessionToken: `sbx-session-${randomBytes(24).toString('base64url')}`,
  };
}
