/** Replaces every occurrence of the given secrets; used on every line a child process prints. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const active = secrets.filter((s) => s.length > 0);
  if (active.length === 0) return (text) => text;
  return (text) => active.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** Names of variables whose values are secrets (AWS keys and tokens, passwords, private keys). */
const secretName = /SECRET|TOKEN|PASSWORD|PASSPHRASE|ACCESS_KEY|PRIVATE_KEY/i;

/**
 * The values of the environment's secret-looking variables: what a child must never be seen
 * printing, whether it got them from us or found them itself. Short values are left out, so
 * redaction cannot mangle ordinary words.
 */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) => (secretName.test(name) && value !== undefined && value.length >= 8 ? [value] : []));
}
