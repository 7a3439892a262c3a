import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Stand-ins for terraform and terragrunt at the process seam, for tests of what the
 * tasks do BEFORE and AROUND a terragrunt run (guards, bucket, child environment).
 * They report the pinned versions and record their argv and environment variable
 * names (never values) to a file. Real-binary tests live in test/e2e/lifecycle.
 */
export async function stubTools(versions: {
  terraform: string;
  terragrunt: string;
}): Promise<{ dir: string; terraform: string; terragrunt: string; record: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'stub-tools-'));
  const record = join(dir, 'calls.jsonl');
  const script = (banner: string) => `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
if (args[0] === 'version' || args[0] === '--version') { console.log(${JSON.stringify(banner)}); process.exit(0); }
const env = Object.keys(process.env).filter((k) => k.startsWith('AWS_') || k.startsWith('TG_') || k.startsWith('TF_') || k.startsWith('DEPLOY_'));
const secretLength = (process.env.AWS_SECRET_ACCESS_KEY || '').length;
// Like terraform, a plan writes the file -out= names.
const out = args.find((a) => a.startsWith('-out='));
// Terragrunt runs terraform in the unit's .terragrunt-cache, where the tasks read the plan back with show -json.
if (out) {
  const planFile = out.slice('-out='.length);
  fs.writeFileSync(planFile, 'stub plan');
  fs.mkdirSync(require('node:path').join(require('node:path').dirname(planFile), '.terragrunt-cache', 'stub', 'stub', '.terraform'), { recursive: true });
}
// show -json of a stub plan: one resource to add, in terraform's JSON plan format.
const showJson = JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'stub.repository', change: { actions: ['create'] } }] });
const inputs = { stateBucket: process.env.DEPLOY_STATE_BUCKET, repositoryName: process.env.DEPLOY_REPOSITORY_NAME, projectName: process.env.DEPLOY_PROJECT_NAME };
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ args, env, secretLength, ...inputs }) + '\\n');
// STUB_WAIT_FOR_SIGINT: behave like a long terraform run that stops cleanly on Ctrl-C.
if (process.env.STUB_WAIT_FOR_SIGINT === args[0]) {
  process.on('SIGINT', () => { console.log('stub: interrupted, lock released'); process.exit(1); });
  console.log('stub: running');
  setInterval(() => {}, 1000);
  return;
}
if (args.includes('output')) console.log('{}');
if (args[0] === 'show' && args.includes('-json')) console.log(showJson);
// A plan that asks for -detailed-exitcode answers "changes", so apply has something to confirm.
if (args.includes('-detailed-exitcode')) process.exit(2);
`;
  const terraform = join(dir, 'terraform');
  const terragrunt = join(dir, 'terragrunt');
  await writeFile(terraform, script(`Terraform v${versions.terraform}\non linux_amd64`));
  await writeFile(terragrunt, script(`terragrunt version v${versions.terragrunt}`));
  await Promise.all([chmod(terraform, 0o755), chmod(terragrunt, 0o755)]);
  return { dir, terraform, terragrunt, record };
}
