/** The terragrunt commands the tasks run; terraform flags follow the command as terragrunt passes them on. */
export type TerragruntCommand =
  | { kind: 'init' }
  | { kind: 'plan'; planFile: string; detailedExitCode: boolean }
  /**
   * A read-only plan (drift, and plan --no-lock): no state lock (nothing is written to the
   * state, so a role without write access can run it), -detailed-exitcode; with refresh false,
   * against state alone. Its plan file, when one is named, is only read for the plan's changes
   * (show), then deleted: it is never applied.
   */
  | { kind: 'check'; refresh: boolean; planFile?: string }
  | { kind: 'apply'; planFile: string }
  | { kind: 'destroy' }
  | { kind: 'output' }
  | { kind: 'import'; address: string; id: string };

export interface CommonArgs {
  terraformPath: string;
  unitDir: string;
  color: boolean;
  /** How long a command that takes the state lock waits for another run's lock (DEPLOY_LOCK_TIMEOUT_SECONDS). */
  lockTimeoutSeconds: number;
}

/**
 * Builds argv for terragrunt. Never `--backend-bootstrap`: the tasks own the state
 * bucket, because Terragrunt 0.99.2's bootstrap hides the real S3 error.
 * `--tf-forward-stdout` and `--log-format bare` let terraform's output through as
 * terraform prints it (no timestamp/STDOUT/`terraform:` prefix on every line), and
 * `--no-color` keeps terragrunt's own lines free of colour codes when ours are.
 */
export function terragruntArgs(command: TerragruntCommand, common: CommonArgs): string[] {
  const global = [
    '--non-interactive',
    '--tf-forward-stdout',
    '--log-format',
    'bare',
    ...(common.color ? [] : ['--no-color']),
    '--tf-path',
    common.terraformPath,
    '--working-dir',
    common.unitDir,
  ];
  const noColor = common.color ? [] : ['-no-color'];
  // Every command that takes the lock waits for it rather than failing on a concurrent run.
  const lockTimeout = `-lock-timeout=${common.lockTimeoutSeconds}s`;
  switch (command.kind) {
    case 'init':
      return ['init', ...global, '--', '-input=false', ...noColor];
    case 'plan':
      return [
        'plan',
        ...global,
        '--',
        '-input=false',
        lockTimeout,
        `-out=${command.planFile}`,
        ...(command.detailedExitCode ? ['-detailed-exitcode'] : []),
        ...noColor,
      ];
    case 'check':
      return [
        'plan',
        ...global,
        '--',
        '-input=false',
        '-lock=false',
        '-detailed-exitcode',
        ...(command.refresh ? [] : ['-refresh=false']),
        ...(command.planFile === undefined ? [] : [`-out=${command.planFile}`]),
        ...noColor,
      ];
    case 'apply':
      return ['apply', ...global, '--', '-input=false', lockTimeout, ...noColor, command.planFile];
    case 'destroy':
      return ['destroy', ...global, '--', '-input=false', lockTimeout, '-auto-approve', ...noColor];
    case 'output':
      return ['output', ...global, '--', '-json'];
    case 'import':
      return ['import', ...global, '--', '-input=false', lockTimeout, ...noColor, command.address, command.id];
  }
}
