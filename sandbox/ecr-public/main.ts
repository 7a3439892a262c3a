// CLI entry for the ECR Public sandbox:
//   node dist/sandbox/ecr-public/main.js --port 0 --account-id 123456789012 --alias myalias
// Prints one JSON line {"url": ...} once listening, so a parent process can wait for
// that line instead of polling; exits cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startEcrPublicServer } from './server.js';

function readOptions(): { host: string; port: number; accountId: string; registryAlias: string; region: string } {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'account-id': { type: 'string' },
      alias: { type: 'string' },
      region: { type: 'string', default: 'us-east-1' },
    },
    strict: true,
  });
  const port = Number(values.port);
  const accountId = values['account-id'];
  const alias = values.alias;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  if (!accountId || !/^[0-9]{12}$/.test(accountId)) throw new Error('--account-id must be a 12-digit account id');
  // Same shape as the model's RegistryAliasName, so the URIs we hand out are valid.
  if (!alias || !/^[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(alias) || alias.length > 50) {
    throw new Error('--alias must match [a-z][a-z0-9]+(?:[._-][a-z0-9]+)* (2-50 chars)');
  }
  return { host: values.host, port, accountId, registryAlias: alias, region: values.region };
}

async function main(): Promise<void> {
  const server = await startEcrPublicServer(readOptions());
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`ecr-public sandbox: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Announce readiness only once the signal handlers are in place, so a parent that
  // stops us right after reading the line always gets a clean shutdown.
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`ecr-public sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
