import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../lib/core/run-tool.js';

export interface SandboxCertificate {
  certFile: string;
  key: string;
  cert: string;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1, so the sandbox speaks TLS like AWS
 * does: clients trust it through AWS_CA_BUNDLE, the same setting a corporate proxy needs.
 */
export async function sandboxCertificate(dir: string, host: string): Promise<SandboxCertificate> {
  const keyFile = join(dir, 'sandbox-key.pem');
  const certFile = join(dir, 'sandbox-ca.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'];
  const subject = ['-subj', '/CN=devcontainer-ecr sandbox', '-addext', `subjectAltName=IP:${host},DNS:localhost`];
  const result = await runTool('openssl', [...args, ...subject, '-keyout', keyFile, '-out', certFile], { cwd: dir, env: process.env });
  if (result.exitCode !== 0) throw new Error(`openssl could not make the sandbox certificate (install openssl):\n${result.output}`);
  return { certFile, key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
}
