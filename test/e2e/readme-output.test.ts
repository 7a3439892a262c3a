import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Sandbox } from '../../sandbox/harness.js';
import { assertNoSecrets, runCli, toolSettingsEnv } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

/** The README's `npm run output` line of "Deploying to AWS", as an operator would copy it (its comment dropped). */
async function readmeOutputLine(): Promise<string> {
  const readme = await readFile('README.md', 'utf8');
  const deploying = /\n## Deploying to AWS\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  const blocks = [...deploying.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const line = blocks.flatMap((b) => b.split('\n')).find((l) => /^npm run (--silent )?output\b/.test(l));
  assert.ok(line, 'README.md: "Deploying to AWS" has no npm run output line');
  return line.replace(/\s+#.*$/, '');
}

describe("the README's output line writes a file bash can source", () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  let env: Record<string, string>;
  /** bash -eu in the project copy, as an operator's shell in the checkout (asynchronous: the sandbox serves from this process). */
  const bash = async (script: string): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const child = spawn('bash', ['--noprofile', '--norc', '-euc', script], { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    assertNoSecrets(stdout + stderr, script);
    return { code, stdout, stderr };
  };

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });
  before(async () => {
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      ...toolSettingsEnv(),
      ...sandbox.env,
      DEPLOY_STATE_BUCKET: 'e2e-readme-output',
    };
    for (const args of [['init'], ['plan', '--all'], ['apply', '--all', '--yes']]) {
      const run = await runCli(args, env, project.dir);
      assert.equal(run.code, 0, `${args.join(' ')}\n${run.stderr}`);
    }
  });

  test('npm prints its banner, the file holds the six values, and sourcing it sets each', async () => {
    const line = await readmeOutputLine();
    const written = await bash(line);
    assert.equal(written.code, 0, `${line}\n${written.stderr}`);
    // What npm prints around the task stays on the terminal.
    assert.match(written.stdout, /> devcontainer-ecr-public@[\d.]+ output/);
    const file = /--out-file (\S+)/.exec(line)?.[1] ?? 'ecr.env';
    assert.doesNotMatch(await readFile(join(project.dir, file), 'utf8'), /^>/m);
    const names = ['ALIAS', 'ACCOUNT_ID', 'REPOSITORY_NAME', 'REPOSITORY_ARN', 'REPOSITORY_URI', 'ROLE_ARN'];
    const sourced = await bash(`set -a; . ./${file}; printf '%s\\n' ${names.map((n) => `"$${n}"`).join(' ')}`);
    assert.equal(sourced.code, 0, sourced.stderr);
    const name = 'caylent-solutions/devcontainer-base';
    assert.deepEqual(sourced.stdout.trimEnd().split('\n'), [
      'sandbox-alias',
      sandbox.accountId,
      name,
      `arn:aws:ecr-public::${sandbox.accountId}:repository/${name}`,
      `public.ecr.aws/sandbox-alias/${name}`,
      `arn:aws:iam::${sandbox.accountId}:role/github-actions-ecr-push`,
    ]);
  });
});
