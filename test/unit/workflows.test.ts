import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

/** The GitHub Actions workflows, as text and parsed; the tests run from the project root. */
const dir = join('.github', 'workflows');
const workflows = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    return { file, text, doc: parse(text) as Workflow };
  });

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  environment?: string;
  steps: Step[];
}
interface Workflow {
  permissions?: unknown;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

const jobs = workflows.flatMap(({ file, doc }) => Object.entries(doc.jobs).map(([name, job]) => ({ id: `${file}:${name}`, job })));
const assumesRole = (job: Job): boolean => job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') === true);

/** The commands a `run:` script starts: each line split at ;, &&, || and |, environment assignments skipped. */
function commands(script: string): string[] {
  return script
    .split(/\n|;|&&|\|\|?/)
    .map((part) => part.trim().replace(/^(\(|\{|!|\s)+/, ''))
    .map((part) => part.split(/\s+/).find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) ?? '')
    .filter((word) => word !== '');
}

describe('.github/workflows', () => {
  it('holds the plan, apply and drift workflows', () => {
    assert.deepEqual(
      workflows.map((w) => w.file),
      ['apply.yml', 'drift.yml', 'plan.yml'],
    );
  });

  it('pins every action to a full commit SHA, with its release in a comment', () => {
    for (const { file, text } of workflows) {
      const uses = text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
      assert.ok(uses.length > 0, file);
      for (const line of uses) assert.match(line, /uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${file}: ${line.trim()}`);
    }
  });

  it('gives no permission by default, and each job permissions, a timeout and the least it needs', () => {
    for (const { file, doc } of workflows) assert.deepEqual(doc.permissions, {}, `${file}: top-level permissions: {}`);
    for (const { id, job } of jobs) {
      assert.ok(job.permissions !== undefined, `${id} has no permissions`);
      assert.ok(typeof job['timeout-minutes'] === 'number' && job['timeout-minutes'] <= 120, `${id} has no timeout-minutes`);
      const { contents, 'id-token': idToken, ...rest } = job.permissions;
      assert.equal(contents, 'read', `${id}: contents: read`);
      // The OIDC token only where the deploy role is assumed, and such a job writes nothing on GitHub.
      assert.equal(idToken === 'write', assumesRole(job), `${id}: id-token: write exactly where the role is assumed`);
      if (idToken === 'write') assert.deepEqual(rest, {}, `${id}: a job with AWS credentials gets no other permission`);
    }
    const writers = jobs.flatMap(({ id, job }) =>
      Object.entries(job.permissions ?? {})
        .filter(([scope, level]) => level === 'write' && scope !== 'id-token')
        .map(([scope]) => `${id} ${scope}`),
    );
    assert.deepEqual(writers, ['drift.yml:issues issues', 'plan.yml:comment pull-requests']);
  });

  it('runs the npm tasks only: no step starts terraform or terragrunt, and no script interpolates ${{ }}', () => {
    assert.deepEqual(commands('FOO=1 terraform plan && echo ok | tee x; (terragrunt run)'), ['terraform', 'echo', 'tee', 'terragrunt']);
    for (const { id, job } of jobs)
      for (const step of job.steps) {
        const script = [step.run ?? '', typeof step.with?.script === 'string' ? step.with.script : ''].join('\n');
        const direct = commands(script).filter((c) => ['terraform', 'terragrunt'].includes(basename(c)));
        assert.deepEqual(direct, [], `${id}: ${script}`);
        // Values reach scripts through env:, so nothing from an event can be run as code.
        assert.doesNotMatch(script, /\$\{\{/, `${id}: ${script}`);
      }
    const npmTasks = jobs.flatMap(({ job }) =>
      job.steps.flatMap((s) => [...(s.run ?? '').matchAll(/npm run (?:--silent )?(\w+)/g)].map((m) => m[1])),
    );
    assert.deepEqual([...new Set(npmTasks)].sort(), ['apply', 'doctor', 'drift', 'output', 'plan']);
  });

  it('runs each step as one task command: npm ci or npm run <task> -- <flags>, no shell', () => {
    const oneCommand = /^npm (ci|run [a-z]+( -- (--?[a-z][a-z-]*|[A-Za-z0-9][\w.\/-]*)( (--?[a-z][a-z-]*|[A-Za-z0-9][\w.\/-]*))*)?)$/;
    // The shell's own syntax: pipes, redirects, lists, substitutions, quoting, globs, comments, several lines.
    const shell = /[|&;<>()$`\\"'*?[\]{}~#!\n]/;
    assert.match('npm run plan -- --all --summary github', oneCommand);
    assert.doesNotMatch('npm run plan -- --all 2>&1 | tee plan.log', oneCommand);
    assert.match('code=$?', shell);
    for (const { id, job } of jobs)
      for (const step of job.steps) {
        if (step.run === undefined) continue;
        assert.match(step.run, oneCommand, `${id}: ${step.run}`);
        assert.doesNotMatch(step.run, shell, `${id}: ${step.run}`);
      }
  });

  it('installs no Go and builds nothing: terraform, terragrunt and Node from .tool-versions through asdf', () => {
    for (const { file, text } of workflows) {
      assert.doesNotMatch(text, /setup-go|go-version|\bgo (build|install|mod)\b|npm run tools/, file);
      assert.doesNotMatch(text, /tools\.lock\.json'\s*\)|devcontainer-ecr-tools/, `${file}: no cache of source-built tools`);
    }
    const terraformJobs = jobs.filter(({ job }) => job.steps.some((s) => s.run === 'npm ci'));
    assert.deepEqual(
      terraformJobs.map(({ id }) => id),
      ['apply.yml:plan', 'apply.yml:apply', 'drift.yml:detect', 'plan.yml:plan'],
    );
    for (const { id, job } of terraformJobs) {
      const install = job.steps.findIndex((s) => /^(asdf-vm\/actions\/install|hashicorp\/setup-terraform)@/.test(s.uses ?? ''));
      assert.ok(install >= 0, `${id}: asdf-vm/actions/install (reading .tool-versions) or hashicorp/setup-terraform`);
      assert.equal(job.steps[install]?.with?.tool_versions, undefined, `${id}: the versions come from .tool-versions, not the workflow`);
      assert.ok(install < job.steps.findIndex((s) => s.run === 'npm ci'), `${id}: Node is installed before npm ci`);
      // A cold run installs for minutes, not the 45 of a source build.
      assert.ok((job['timeout-minutes'] ?? 0) <= 30, `${id}: timeout-minutes`);
    }
  });

  it("keeps terraform's plugin cache under a key made from the committed lock files", () => {
    for (const { id, job } of jobs.filter(({ job }) => job.steps.some((s) => s.run === 'npm ci'))) {
      assert.match(job.env?.TF_PLUGIN_CACHE_DIR ?? '', /^\$\{\{ github\.workspace \}\}\/[\w.-]+$/, `${id}: TF_PLUGIN_CACHE_DIR, absolute`);
      const caches = job.steps.filter((s) => s.uses?.startsWith('actions/cache@') === true);
      assert.equal(caches.length, 1, `${id}: one actions/cache step`);
      assert.equal(caches[0]?.with?.path, '${{ env.TF_PLUGIN_CACHE_DIR }}', id);
      assert.match(String(caches[0]?.with?.key), /\$\{\{ hashFiles\('platform\/infra\/\*\*\/\.terraform\.lock\.hcl'\) \}\}$/, id);
    }
  });

  it('writes the plan summary, the drift report and the outputs through the tasks', () => {
    const runs = (file: string, name: string): string[] =>
      workflows.find((w) => w.file === file)?.doc.jobs[name]?.steps.flatMap((s) => (s.run ? [s.run] : [])) ?? [];
    assert.ok(runs('plan.yml', 'plan').includes('npm run plan -- --all --no-lock --summary github'));
    assert.ok(runs('apply.yml', 'plan').includes('npm run plan -- --all --no-lock --summary github'), 'approvers see what they approve');
    assert.ok(runs('apply.yml', 'apply').includes('npm run output -- --all --format github'));
    assert.ok(runs('drift.yml', 'detect').includes('npm run drift -- --github-output report --no-fail-on-drift'));
  });

  it('assumes the read-only plan role to plan and check drift, and the apply role only in the production job', () => {
    const roleOf = (file: string, job: string): unknown =>
      workflows.find((w) => w.file === file)?.doc.jobs[job]?.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))
        ?.with?.['role-to-assume'];
    assert.equal(roleOf('plan.yml', 'plan'), '${{ vars.DEPLOY_PLAN_ROLE_ARN }}');
    assert.equal(roleOf('drift.yml', 'detect'), '${{ vars.DEPLOY_PLAN_ROLE_ARN }}');
    assert.equal(roleOf('apply.yml', 'plan'), '${{ vars.DEPLOY_PLAN_ROLE_ARN }}');
    assert.equal(roleOf('apply.yml', 'apply'), '${{ vars.DEPLOY_APPLY_ROLE_ARN }}');
    const all = workflows.map((w) => JSON.stringify(w.doc)).join('\n');
    assert.doesNotMatch(all, /DEPLOY_ROLE_ARN/, 'the single deploy role is retired');
  });

  it('applies in the production environment, one run at a time, from the plans reviewed for the commit', () => {
    const apply = workflows.find((w) => w.file === 'apply.yml')?.doc;
    assert.ok(apply);
    assert.deepEqual(apply.concurrency, { group: 'deploy-apply', 'cancel-in-progress': false });
    assert.equal(apply.jobs.apply?.environment, 'production');
    const upload = apply.jobs.plan?.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    const download = apply.jobs.apply?.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    assert.equal(upload?.with?.name, 'plans-${{ github.sha }}');
    assert.equal(download?.with?.name, upload?.with?.name);
    // The plan role takes no lock and saves no plan file: what travels is each unit's review record.
    assert.match(String(upload?.with?.path), /\*\*\/terragrunt\.tfplan\.json/);
    assert.doesNotMatch(String(upload?.with?.path), /terragrunt\.tfplan\n/);
    const drift = workflows.find((w) => w.file === 'drift.yml')?.doc;
    assert.notEqual(drift?.concurrency?.group, 'deploy-apply', 'a queued drift run must not replace a waiting deployment');
  });
});
