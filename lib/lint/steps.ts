import { basename, join, relative } from 'node:path';
import type { InfraTree } from '../infra/tree.js';
import type { ToolPaths } from '../tools/resolve.js';
import type { ProviderPin } from '../tools/tools-lock.js';
import { providerLockProblems } from './provider-locks.js';
import type { LintCheck } from './checks.js';
import type { ModuleCopy } from './module-copy.js';

/** One check or rewrite `npm run lint` / `npm run format` runs, as argv (never a shell string). */
export interface LintStep {
  name: string;
  /** The check it belongs to (what `lint --only` selects). */
  check: LintCheck;
  bin: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** Why it cannot run here (a tool is missing); the step then fails with this reason. */
  unavailable?: string;
  /** A check made in this process instead of by `bin`: its findings, one per line; none means clean. */
  findings?: () => Promise<string[]>;
}

export interface LintInputs {
  projectDir: string;
  tools: ToolPaths;
  /** Per tool, why it is missing; absent when available. */
  missing: Partial<Record<'terraform' | 'terragrunt' | 'tflint' | 'checkov' | 'actionlint', string>>;
  /** The configured Terragrunt root (DEPLOY_INFRA_DIR) and the tree of units and modules around it. */
  infra: InfraTree;
  /** Each module of the tree with its scratch copy, initialised from the provider mirror, for terraform validate. */
  modules: ModuleCopy[];
  /** The DEPLOY_* values root.hcl reads, from the validated configuration. */
  rootHclEnv: Record<string, string>;
  /** The workflows under .github/workflows, relative to the project (lib/lint/workflow-files.ts). */
  workflows: string[];
  /** The AWS provider release every committed lock file must name (tools.lock.json). */
  providerPin: ProviderPin;
}

function npmBin(projectDir: string, name: string): string {
  return join(projectDir, 'node_modules', '.bin', name);
}

/** Every check, each failing on any finding; none is skipped when a tool is missing: it fails and says why. */
export function lintSteps(i: LintInputs): LintStep[] {
  const d = i.projectDir;
  const { tree, root } = shown(i);
  return [
    { name: 'eslint', check: 'eslint', bin: npmBin(d, 'eslint'), args: ['.'], cwd: d },
    { name: 'prettier --check', check: 'prettier', bin: npmBin(d, 'prettier'), args: ['--check', '.'], cwd: d },
    { name: 'knip (unused files, exports, dependencies)', check: 'knip', bin: npmBin(d, 'knip'), args: ['--no-progress'], cwd: d },
    {
      name: 'dependency-cruiser (layers, cycles)',
      check: 'depcruise',
      bin: npmBin(d, 'depcruise'),
      args: ['--config', '.dependency-cruiser.json', 'cli', 'tasks', 'lib', 'sandbox', 'bench', 'scripts', 'test'],
      cwd: d,
    },
    {
      name: 'terraform fmt -check',
      check: 'terraform-fmt',
      bin: i.tools.terraform,
      args: ['fmt', '-check', '-recursive', '-diff', tree],
      cwd: d,
      unavailable: i.missing.terraform,
    },
    {
      name: 'terragrunt hcl fmt --check',
      check: 'terragrunt-fmt',
      bin: i.tools.terragrunt,
      args: ['hcl', 'fmt', '--check', '--working-dir', root],
      cwd: d,
      unavailable: i.missing.terragrunt,
    },
    {
      name: 'terragrunt hcl validate',
      check: 'terragrunt-validate',
      bin: i.tools.terragrunt,
      args: ['hcl', 'validate', '--working-dir', root],
      cwd: d,
      // root.hcl requires the settings the tasks normally pass; validate with the configured ones.
      env: i.rootHclEnv,
      unavailable: i.missing.terragrunt,
    },
    {
      name: `provider lock files (the registry's ${i.providerPin.source} ${i.providerPin.version})`,
      check: 'provider-locks',
      bin: 'node',
      args: [],
      cwd: d,
      findings: () => providerLockProblems(i.infra.root, i.infra.tree, d, i.providerPin),
    },
    ...i.modules.flatMap((m) => moduleSteps(i, m)),
    {
      name: 'checkov',
      check: 'checkov',
      bin: i.tools.checkov,
      args: ['--config-file', '.checkov.yaml', '--quiet'],
      cwd: d,
      env: { CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' },
      unavailable: i.missing.checkov,
    },
    {
      // Named, so it needs no git checkout to find them; shellcheck checks their run: scripts when it is on PATH.
      name: 'actionlint (.github/workflows)',
      check: 'actionlint',
      bin: i.tools.actionlint,
      args: ['-no-color', ...i.workflows],
      cwd: d,
      unavailable: i.missing.actionlint ?? (i.workflows.length === 0 ? 'no workflow under .github/workflows' : undefined),
    },
  ];
}

/** terraform validate (on the initialised copy) and tflint (on the module itself: local modules need no init). */
function moduleSteps(i: LintInputs, m: ModuleCopy): LintStep[] {
  const name = basename(m.source);
  return [
    {
      name: `terraform validate (${name})`,
      check: 'terraform-validate',
      bin: i.tools.terraform,
      args: ['validate', '-no-color'],
      cwd: m.dir,
      unavailable: i.missing.terraform ?? m.error,
    },
    {
      name: `tflint (${name})`,
      check: 'tflint',
      bin: i.tools.tflint,
      args: ['--config', join(i.projectDir, '.tflint.hcl'), '--no-color'],
      cwd: m.source,
      env: { TFLINT_PLUGIN_DIR: i.tools.tflintPluginDir },
      unavailable: i.missing.tflint,
    },
  ];
}

/** The tree and the root as paths relative to the project, as an operator would type them. */
function shown(i: Pick<LintInputs, 'projectDir' | 'infra'>): { tree: string; root: string } {
  return { tree: relative(i.projectDir, i.infra.tree) || '.', root: relative(i.projectDir, i.infra.root) || '.' };
}

/** `npm run format`: the same tools, rewriting instead of checking. */
export function formatSteps(i: Omit<LintInputs, 'modules' | 'rootHclEnv' | 'workflows' | 'providerPin'>): LintStep[] {
  const d = i.projectDir;
  const { tree, root } = shown(i);
  return [
    { name: 'prettier --write', check: 'prettier', bin: npmBin(d, 'prettier'), args: ['--write', '.'], cwd: d },
    {
      name: 'terraform fmt',
      check: 'terraform-fmt',
      bin: i.tools.terraform,
      args: ['fmt', '-recursive', tree],
      cwd: d,
      unavailable: i.missing.terraform,
    },
    {
      name: 'terragrunt hcl fmt',
      check: 'terragrunt-fmt',
      bin: i.tools.terragrunt,
      args: ['hcl', 'fmt', '--working-dir', root],
      cwd: d,
      unavailable: i.missing.terragrunt,
    },
  ];
}
