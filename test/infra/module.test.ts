// Runs each module's Terraform native tests (tests/*.tftest.hcl) with the real
// terraform binary and AWS provider. The tests use mock_provider, or the real
// provider configured so that it cannot reach AWS, so no AWS account is involved,
// but the provider binary must be installable: TF_CLI_CONFIG_FILE points Terraform
// at it (e.g. a filesystem mirror).
//
// Then it proves each suite can fail: it breaks a rule in a copy of the module and
// checks that `terraform test` fails, in exactly the run that covers it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { suiteTools } from '../support/tools.js';
import { MODULES } from './module-mutations.js';

const DEFAULT_TIMEOUT_MS = 300_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

interface Toolchain {
  terraformBin: string;
  cliConfigFile: string;
  timeoutMs: number;
}

interface ProcessResult {
  exitCode: number;
  output: string;
}

type RunStatus = 'pass' | 'fail' | 'skip' | 'error';

interface RunOutcome {
  file: string;
  name: string;
  status: RunStatus;
}

interface TestReport {
  runs: RunOutcome[];
  passed: number;
  failed: number;
}

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`No package.json above ${start}: cannot locate the repository root.`);
    }
    dir = parent;
  }
  return dir;
}

const MODULES_DIR = join(findRepoRoot(dirname(fileURLToPath(import.meta.url))), 'platform', 'infra', 'terraform-modules');

/** The pinned terraform and the provider mirror's CLI config. */
async function readToolchain(): Promise<Toolchain> {
  const paths = await suiteTools(['terraform', 'aws-provider']);
  const rawTimeout = process.env['TEST_TERRAFORM_TIMEOUT_MS'];
  const timeoutMs = rawTimeout === undefined || rawTimeout === '' ? DEFAULT_TIMEOUT_MS : Number(rawTimeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`TEST_TERRAFORM_TIMEOUT_MS=${rawTimeout ?? ''} must be a positive integer (milliseconds).`);
  }
  return { terraformBin: paths.terraform, cliConfigFile: paths.cliConfigFile, timeoutMs };
}

/** Runs terraform without a shell; resolves with its exit code, rejects if it could not run or timed out. */
function terraform(tools: Toolchain, args: string[], cwd: string, dataDir: string): Promise<ProcessResult> {
  const env = {
    ...process.env,
    TF_DATA_DIR: dataDir,
    TF_CLI_CONFIG_FILE: tools.cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  return new Promise((resolve, reject) => {
    execFile(
      tools.terraformBin,
      args,
      { cwd, env, timeout: tools.timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error === null) {
          resolve({ exitCode: 0, output });
          return;
        }
        if (typeof error.code === 'number') {
          resolve({ exitCode: error.code, output });
          return;
        }
        const reason = error.killed
          ? `was stopped after ${tools.timeoutMs} ms (raise TEST_TERRAFORM_TIMEOUT_MS if the machine is slow)`
          : `could not run: ${error.message}`;
        reject(new Error(`terraform ${args.join(' ')} ${reason}\n${output}`));
      },
    );
  });
}

/** Copies the module without local Terraform state (.terraform, lock file). */
async function copyModule(from: string, to: string): Promise<void> {
  await cp(from, to, {
    recursive: true,
    filter: (source) => !['.terraform', '.terraform.lock.hcl'].includes(basename(source)),
  });
}

/** The run block names declared in the module's test files. */
async function declaredRuns(moduleDir: string): Promise<string[]> {
  const testsDir = join(moduleDir, 'tests');
  const files = (await readdir(testsDir)).filter((name) => name.endsWith('.tftest.hcl'));
  assert.ok(files.length > 0, `no *.tftest.hcl files in ${testsDir}`);
  const runs: string[] = [];
  for (const file of files) {
    const text = await readFile(join(testsDir, file), 'utf8');
    for (const match of text.matchAll(/^run\s+"([^"]+)"\s*\{/gm)) {
      runs.push(`tests/${file}::${match[1] ?? ''}`);
    }
  }
  return runs;
}

/** Parses the human output of `terraform test -no-color`. */
function parseTestOutput(output: string): TestReport {
  const runs: RunOutcome[] = [];
  let file = '';
  for (const line of output.split('\n')) {
    const fileLine = /^(\S+\.tftest\.hcl)\.\.\. /.exec(line);
    if (fileLine?.[1] !== undefined) {
      file = fileLine[1];
      continue;
    }
    const runLine = /^\s+run "([^"]+)"\.\.\. (pass|fail|skip|error)\s*$/.exec(line);
    if (runLine?.[1] !== undefined && runLine[2] !== undefined) {
      runs.push({ file, name: runLine[1], status: runLine[2] as RunStatus });
    }
  }
  const summary = /^(?:Success|Failure)! (\d+) passed, (\d+) failed/m.exec(output);
  assert.ok(summary?.[1] !== undefined && summary[2] !== undefined, `no test summary in terraform output:\n${output}`);
  return { runs, passed: Number(summary[1]), failed: Number(summary[2]) };
}

const tools = await readToolchain();

for (const module of MODULES) {
  test(`${module.name} module: terraform test with the pinned terraform`, async (t) => {
    const workRoot = await mkdtemp(join(tmpdir(), `${module.name}-module-test-`));
    t.after(() => rm(workRoot, { recursive: true, force: true }));

    // One init (provider install) shared by every copy through TF_DATA_DIR.
    const dataDir = join(workRoot, 'tf-data');
    const pristine = join(workRoot, 'module');
    await copyModule(join(MODULES_DIR, module.name), pristine);
    const init = await terraform(tools, ['init', '-input=false', '-no-color'], pristine, dataDir);
    assert.equal(init.exitCode, 0, `terraform init failed:\n${init.output}`);

    const expectedRuns = await declaredRuns(pristine);

    await t.test('passes, and every declared run block runs and passes', async () => {
      const result = await terraform(tools, ['test', '-no-color'], pristine, dataDir);
      assert.equal(result.exitCode, 0, `terraform test failed:\n${result.output}`);
      const report = parseTestOutput(result.output);
      assert.equal(report.failed, 0, result.output);
      assert.equal(report.passed, expectedRuns.length, `expected ${expectedRuns.length} passed runs:\n${result.output}`);
      assert.deepEqual(
        report.runs.map((run) => `${run.file}::${run.name}=${run.status}`).sort(),
        expectedRuns.map((run) => `${run}=pass`).sort(),
      );
    });

    for (const [index, mutation] of module.mutations.entries()) {
      await t.test(`fails when ${mutation.description}`, async () => {
        const copy = join(workRoot, `mutant-${index}`);
        await cp(pristine, copy, { recursive: true });
        const target = join(copy, mutation.file);
        const original = await readFile(target, 'utf8');
        assert.equal(
          original.split(mutation.find).length - 1,
          1,
          `the text to break must occur exactly once in ${mutation.file}: ${mutation.find}`,
        );
        await writeFile(target, original.replace(mutation.find, mutation.replace));

        const result = await terraform(tools, ['test', '-no-color'], copy, dataDir);
        assert.notEqual(result.exitCode, 0, `terraform test passed although ${mutation.description}:\n${result.output}`);
        const report = parseTestOutput(result.output);
        const failed = report.runs.filter((run) => run.status === 'fail' || run.status === 'error');
        assert.deepEqual(
          failed.map((run) => run.name),
          [mutation.failingRun],
          `expected only run "${mutation.failingRun}" to fail:\n${result.output}`,
        );
        assert.equal(report.failed, 1, result.output);
        assert.ok(report.passed > 0, `no run passed, so the failure may not come from the mutation:\n${result.output}`);
      });
    }
  });
}
