/** Replaces every occurrence of the given secrets; used on every line a child process prints. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const active = secrets.filter((s) => s.length > 0);
  if (active.length === 0) return (text) => text;
  return (text) => active.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
