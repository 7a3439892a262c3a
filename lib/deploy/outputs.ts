import { ExitCode, TaskError } from '../core/errors.js';

/** The values downstream steps consume (OIDC role, mirror workflow, devcontainer.json). */
export type DeployOutputs = Record<'ALIAS' | 'ACCOUNT_ID' | 'REPOSITORY_NAME' | 'REPOSITORY_ARN' | 'REPOSITORY_URI', string>;

export type OutputFormat = 'text' | 'json' | 'env' | 'github';

/**
 * dotenv values: a value of several lines (a unit's output can hold one) has no KEY=value form
 * that both a shell's `source` and dotenv read the same way, so it is refused, not corrupted.
 * --format github writes such values with GitHub's multi-line syntax, and json as they are.
 */
function line(key: string, value: string): string {
  if (!/[\r\n]/.test(value)) return `${key}=${value}`;
  throw new TaskError(`Output ${key} holds a line break, which a KEY=value line cannot carry.`, {
    code: 'OUTPUT_MULTILINE',
    hint: 'Use --format json (or --format github in a workflow step, which writes it as a multi-line output).',
    exitCode: ExitCode.config,
  });
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
