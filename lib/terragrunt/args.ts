/** The terragrunt commands the tasks run; terraform flags follow the command as terragrunt passes them on. */
export type TerragruntCommand =
  | { kind: 'init' }
  | { kind: 'plan'; planFile: string; detailedExitCode: boolean }
  /** A read-only plan for drift: no plan file, no state lock (nothing is written), -detailed-exitcode; against state alone without refresh. */
  | { kind: 'check'; refresh: boolean }
  | { kind: 'apply'; planFile: string }
  | { kind: 'destroy' }
  | { kind: 'output' }
  | { kind: 'import'; address: string; id: string };

export interface CommonArgs {
  terraformPath: string;
  unitDir: string;
  color: boolean;
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
  switch (command.kind) {
    case 'init':
      return ['init', ...global, '--', '-input=false', ...noColor];
    case 'plan':
      return [
        'plan',
        ...global,
        '--',
        '-input=false',
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
        ...noColor,
      ];
    case 'apply':
      return ['apply', ...global, '--', '-input=false', ...noColor, command.planFile];
    case 'destroy':
      return ['destroy', ...global, '--', '-input=false', '-auto-approve', ...noColor];
    case 'output':
      return ['output', ...global, '--', '-json'];
    case 'import':
      return ['import', ...global, '--', '-input=false', ...noColor, command.address, command.id];
  }
}
