import { join } from 'node:path';
import type { ToolPaths } from '../tools/resolve.js';
import { modulePath } from './module-copy.js';

/** One check or rewrite `npm run lint` / `npm run format` runs, as argv (never a shell string). */
export interface LintStep {
  name: string;
  bin: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** Why it cannot run here (a tool is missing); the step then fails with this reason. */
  unavailable?: string;
}

export interface LintInputs {
  projectDir: string;
  tools: ToolPaths;
  /** Per tool, why it is missing; absent when available. */
  missing: Partial<Record<'terraform' | 'terragrunt' | 'tflint' | 'checkov', string>>;
  /** A scratch copy of the module, initialised from the provider mirror, for terraform validate and tflint. */
  moduleCopy: string;
  /** Why that copy could not be initialised, if it could not. */
  moduleCopyError?: string;
  /** The DEPLOY_* values root.hcl reads, from the validated configuration. */
  rootHclEnv: Record<string, string>;
}

const infra = 'platform/infra';
const terragruntRoot = `${infra}/terragrunt`;

function npmBin(projectDir: string, name: string): string {
  return join(projectDir, 'node_modules', '.bin', name);
}

/** Every check, each failing on any finding; none is skipped when a tool is missing: it fails and says why. */
export function lintSteps(i: LintInputs): LintStep[] {
  const d = i.projectDir;
  return [
    { name: 'eslint', bin: npmBin(d, 'eslint'), args: ['.'], cwd: d },
    { name: 'prettier --check', bin: npmBin(d, 'prettier'), args: ['--check', '.'], cwd: d },
    {
      name: 'terraform fmt -check',
      bin: i.tools.terraform,
      args: ['fmt', '-check', '-recursive', '-diff', infra],
      cwd: d,
      unavailable: i.missing.terraform,
    },
    {
      name: 'terragrunt hcl fmt --check',
      bin: i.tools.terragrunt,
      args: ['hcl', 'fmt', '--check', '--working-dir', terragruntRoot],
      cwd: d,
      unavailable: i.missing.terragrunt,
    },
    {
      name: 'terragrunt hcl validate',
      bin: i.tools.terragrunt,
      args: ['hcl', 'validate', '--working-dir', terragruntRoot],
      cwd: d,
      // root.hcl requires the settings the tasks normally pass; validate with the configured ones.
      env: i.rootHclEnv,
      unavailable: i.missing.terragrunt,
    },
    {
      name: 'terraform validate (module)',
      bin: i.tools.terraform,
      args: ['validate', '-no-color'],
      cwd: i.moduleCopy,
      unavailable: i.missing.terraform ?? i.moduleCopyError,
    },
    {
      name: 'tflint (AWS ruleset)',
      bin: i.tools.tflint,
      args: ['--config', join(d, '.tflint.hcl'), '--no-color'],
      // tflint reads the .tf files itself (local modules only): no terraform init needed.
      cwd: join(d, modulePath),
      env: { TFLINT_PLUGIN_DIR: i.tools.tflintPluginDir },
      unavailable: i.missing.tflint,
    },
    {
      name: 'checkov',
      bin: i.tools.checkov,
      args: ['--config-file', '.checkov.yaml', '--quiet'],
      cwd: d,
      env: { CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' },
      unavailable: i.missing.checkov,
    },
  ];
}

/** `npm run format`: the same tools, rewriting instead of checking. */
export function formatSteps(i: Omit<LintInputs, 'moduleCopy' | 'rootHclEnv'>): LintStep[] {
  const d = i.projectDir;
  return [
    { name: 'prettier --write', bin: npmBin(d, 'prettier'), args: ['--write', '.'], cwd: d },
    { name: 'terraform fmt', bin: i.tools.terraform, args: ['fmt', '-recursive', infra], cwd: d, unavailable: i.missing.terraform },
    {
      name: 'terragrunt hcl fmt',
      bin: i.tools.terragrunt,
      args: ['hcl', 'fmt', '--working-dir', terragruntRoot],
      cwd: d,
      unavailable: i.missing.terragrunt,
    },
  ];
}
