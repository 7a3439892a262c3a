/** The values downstream steps consume (OIDC role, mirror workflow, devcontainer.json). */
export type DeployOutputs = Record<'ALIAS' | 'ACCOUNT_ID' | 'REPOSITORY_NAME' | 'REPOSITORY_ARN' | 'REPOSITORY_URI', string>;

export type OutputFormat = 'text' | 'json' | 'env' | 'github';

/** dotenv values: our values never contain newlines, but refuse rather than corrupt a file. */
function line(key: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`Output ${key} contains a newline; refusing to write it as KEY=value`);
  return `${key}=${value}`;
}

/** The values in the order given (DeployOutputs first, then any downstream key such as ROLE_ARN); github is github-output.ts's. */
export function formatOutputs(outputs: Readonly<Record<string, string>>, format: Exclude<OutputFormat, 'github'>): string {
  const entries = Object.entries(outputs);
  switch (format) {
    case 'json':
      return `${JSON.stringify(outputs, null, 2)}\n`;
    case 'env':
      return `${entries.map(([k, v]) => line(k, v)).join('\n')}\n`;
    case 'text': {
      const width = Math.max(...entries.map(([k]) => k.length));
      return `${entries.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
    }
  }
}

export function galleryLink(galleryUrl: string, outputs: DeployOutputs): string {
  return `${galleryUrl}/${outputs.ALIAS}/${outputs.REPOSITORY_NAME}`;
}
