import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { lockProblems, parseLockFile, unitDirs, type LockedProvider } from '../../lib/infra/provider-lock.js';
import { providerLockProblems } from '../../lib/lint/provider-locks.js';
import { readToolsLock } from '../../lib/tools/tools-lock.js';

const { terraformProvider: pin } = await readToolsLock(process.cwd());
const root = 'platform/infra/terragrunt';

/** A lock file as `terraform init` writes it. */
function lockText(p: { version: string; constraints: string; hashes: string[] }): string {
  return [
    '# This file is maintained automatically by "terraform init".',
    '# Manual edits may be lost in future updates.',
    '',
    `provider "${pin.source}" {`,
    `  version     = "${p.version}"`,
    `  constraints = "${p.constraints}"`,
    '  hashes = [',
    ...p.hashes.map((h) => `    "${h}",`),
    '  ]',
    '}',
    '',
  ].join('\n');
}

const registryLock: LockedProvider = {
  address: pin.source,
  version: pin.version,
  constraints: pin.constraint,
  hashes: [...pin.h1, ...pin.zh],
};

describe('provider lock files', () => {
  it('reads the provider blocks terraform writes', () => {
    const [parsed, ...rest] = parseLockFile(lockText({ ...registryLock, constraints: pin.constraint }), 'x.hcl');
    assert.deepEqual(rest, []);
    assert.deepEqual(parsed, registryLock);
  });

  it('refuses a file of another shape at its line, as bad input (64)', () => {
    const edited = lockText({ ...registryLock, constraints: pin.constraint }).replace('  hashes = [', '  hashes = ["h1:x"] # edited');
    assert.throws(
      () => parseLockFile(edited, 'unit/.terraform.lock.hcl'),
      (e: unknown) => e instanceof TaskError && e.exitCode === 64 && /^unit\/\.terraform\.lock\.hcl:7 /.test(e.message),
    );
    assert.throws(() => parseLockFile(`provider "${pin.source}" {\n  version = "1.0.0"\n`, 'f'), /not closed/);
  });

  it('a registry lock of the pinned release passes', () => {
    assert.deepEqual(lockProblems(registryLock, pin), []);
  });

  it('a lock written against the source-built provider is refused: another version, no zh: hashes', () => {
    const mirrored = { ...registryLock, version: '6.47.1', hashes: ['h1:Oyij3m9vm57rGk7T7GyS2Y2fYYmUiw1g7rIMg2d618o='] };
    const problems = lockProblems(mirrored, pin);
    assert.ok(problems.some((p) => p.includes(`not the pinned release ${pin.version}`)));
    assert.ok(problems.some((p) => p.startsWith('has no zh: hashes')));
  });

  it('refuses a lock that lacks any hash the registry publishes, or holds one it does not', () => {
    for (const hash of pin.zh) {
      const without = { ...registryLock, hashes: registryLock.hashes.filter((h) => h !== hash) };
      assert.deepEqual(lockProblems(without, pin), [
        `lacks 1 of the ${pin.zh.length} zh: hashes the registry publishes for ${pin.version} (one per platform zip: linux and darwin on amd64 and arm64 among them)`,
      ]);
    }
    const foreign = { ...registryLock, hashes: [...registryLock.hashes, `zh:${'0'.repeat(64)}`] };
    assert.deepEqual(lockProblems(foreign, pin), [`holds 1 zh: hash(es) the registry does not publish for ${pin.version}`]);
    const local = { ...registryLock, hashes: [...registryLock.hashes, 'h1:Oyij3m9vm57rGk7T7GyS2Y2fYYmUiw1g7rIMg2d618o='] };
    assert.deepEqual(lockProblems(local, pin), ["holds 1 h1: hash(es) of no package of the release: a locally built provider's"]);
    assert.deepEqual(lockProblems({ ...registryLock, hashes: pin.zh }, pin), ['has no h1: hash']);
    assert.deepEqual(lockProblems({ ...registryLock, constraints: '~> 6.0' }, pin), [
      `records the constraint "~> 6.0", not the modules' "${pin.constraint}"`,
    ]);
  });

  it('every unit of the tree commits the registry lock of the pin', async () => {
    const units = await unitDirs(root);
    assert.ok(units.length >= 2, `units found: ${units.join(', ')}`);
    assert.deepEqual(await providerLockProblems(root, 'platform/infra', process.cwd(), pin), []);
  });

  it('lint finds a missing lock file and a source-built one in a copy of the tree', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'locks-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await cp('platform/infra', dir, { recursive: true });
    const [first, second] = await unitDirs(join(dir, 'terragrunt'));
    assert.ok(first !== undefined && second !== undefined);
    await rm(join(first, '.terraform.lock.hcl'));
    const text = await readFile(join(second, '.terraform.lock.hcl'), 'utf8');
    await writeFile(join(second, '.terraform.lock.hcl'), text.replace(/^\s*"zh:.*\n/gm, ''));
    const versionsTf = join(dir, 'terraform-modules/ecr-public-repository/versions.tf');
    await writeFile(versionsTf, (await readFile(versionsTf, 'utf8')).replace(pin.constraint, '~> 6.0'));
    const problems = await providerLockProblems(join(dir, 'terragrunt'), dir, dir, pin);
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] ?? '', /^terraform-modules\/ecr-public-repository\/versions\.tf: hashicorp\/aws constraint "~> 6\.0"/);
    assert.match(problems[1] ?? '', /\.terraform\.lock\.hcl: missing: every unit commits the registry's lock file/);
    assert.match(problems[2] ?? '', /\.terraform\.lock\.hcl: has no zh: hashes: it was written against a local mirror/);
  });
});
