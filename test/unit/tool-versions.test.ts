import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TaskError } from '../../lib/core/errors.js';
import { parseToolsLock, readToolsLock } from '../../lib/tools/tools-lock.js';
import { parseToolVersions, readToolVersions } from '../../lib/tools/tool-versions.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function rejects(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TaskError, `expected a TaskError, got ${String(error)}`);
    for (const fragment of fragments)
      assert.ok(`${error.message} ${error.hint ?? ''}`.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

describe('.tool-versions', () => {
  it('parses tools, versions, comments and blank lines', () => {
    const text = '# pinned\nterraform 1.14.5\n\nterragrunt   0.99.2  # the runner\nnodejs 20.20.2\n';
    assert.deepEqual(parseToolVersions(text, '/p/.tool-versions'), { terraform: '1.14.5', terragrunt: '0.99.2', nodejs: '20.20.2' });
  });

  it('names the file and the missing tool', () => {
    rejects(
      () => parseToolVersions('terraform 1.14.5\n', '/p/.tool-versions'),
      '/p/.tool-versions',
      '"terragrunt"',
      'terragrunt <version>',
    );
  });

  it('rejects versions that are not exact releases', () => {
    rejects(() => parseToolVersions('terraform ref:main\nterragrunt 0.99.2\n', 'f'), 'terraform', 'ref:main');
    rejects(() => parseToolVersions('terraform system\nterragrunt 0.99.2\n', 'f'), 'system');
  });

  it('rejects fallback versions, duplicates and malformed lines with the line number', () => {
    rejects(() => parseToolVersions('terraform 1.14.5 1.13.0\nterragrunt 0.99.2\n', 'f'), 'f:1', 'several versions');
    rejects(() => parseToolVersions('terraform 1.14.5\nterraform 1.14.5\nterragrunt 0.99.2\n', 'f'), 'f:2', 'twice');
    rejects(() => parseToolVersions('terraform\nterragrunt 0.99.2\n', 'f'), 'f:1');
  });

  it('reads the repository file, and a missing file says how to restore it', async () => {
    const versions = await readToolVersions(repoRoot);
    assert.match(versions.terraform, /^\d+\.\d+\.\d+$/);
    assert.match(versions.terragrunt, /^\d+\.\d+\.\d+$/);
    const empty = await mkdtemp(join(tmpdir(), 'tv-'));
    await assert.rejects(
      readToolVersions(empty),
      (error: unknown) => error instanceof TaskError && error.message.includes(join(empty, '.tool-versions')),
    );
  });
});

describe('tools.lock.json', () => {
  it('has build recipes for exactly the versions .tool-versions pins', async () => {
    const [versions, lock] = await Promise.all([readToolVersions(repoRoot), readToolsLock(repoRoot)]);
    assert.equal(lock.go.terraform.version, versions.terraform);
    assert.equal(lock.go.terragrunt.version, versions.terragrunt);
    assert.equal(lock.go.terraform.moduleVersion, `v${versions.terraform}`);
    assert.equal(lock.go.terragrunt.moduleVersion, `v${versions.terragrunt}`);
    // The nested-module replaces are what make terraform buildable outside its repo.
    assert.equal(lock.go.terraform.replace.filter((r) => r.includes('/internal/')).length, 10);
    assert.equal(lock.python.moto.extras.join(), 'server');
    // actionlint: the release the module proxy serves, its version stamped for -version.
    assert.equal(lock.go.actionlint.moduleVersion, `v${lock.go.actionlint.version}`);
    assert.equal(lock.go.actionlint.package, 'github.com/rhysd/actionlint/cmd/actionlint');
    assert.match(lock.go.actionlint.ldflags, / -X github\.com\/rhysd\/actionlint\.version=\{version\}$/);
    // The source archives are named for exactly the pinned releases.
    assert.equal(lock.go.terraform.sourceArchive?.file, `terraform-${versions.terraform}.tar.gz`);
    assert.equal(lock.go.terragrunt.sourceArchive?.topDir, `terragrunt-${versions.terragrunt}`);
  });

  it("the module's required_version is the terraform .tool-versions pins", async () => {
    const versions = await readToolVersions(repoRoot);
    const tf = await readFile(join(repoRoot, 'platform/infra/terraform-modules/ecr-public-repository/versions.tf'), 'utf8');
    assert.equal(/required_version\s*=\s*"([^"]+)"/.exec(tf)?.[1], versions.terraform);
  });

  it('rejects values that are not on the allow-list', async () => {
    const good = JSON.parse(await readFile(join(repoRoot, 'tools.lock.json'), 'utf8')) as {
      go: Record<string, Record<string, unknown>>;
      python: Record<string, Record<string, unknown>>;
    };
    const mutate = (edit: (lock: typeof good) => void): string => {
      const copy = structuredClone(good);
      edit(copy);
      return JSON.stringify(copy);
    };
    rejects(
      () =>
        parseToolsLock(
          mutate((l) => (l.go.tflint!.ldflags = '-s; rm -rf /')),
          'lock.json',
        ),
      'go.tflint.ldflags',
    );
    rejects(
      () =>
        parseToolsLock(
          mutate((l) => (l.go.terraform!.replace = ['a => ./local/path'])),
          'lock.json',
        ),
      'go.terraform.replace[0]',
    );
    rejects(
      () =>
        parseToolsLock(
          mutate((l) => (l.python.moto!.version = 'latest')),
          'lock.json',
        ),
      'python.moto.version',
    );
    rejects(
      () =>
        parseToolsLock(
          mutate((l) => delete l.go['aws-provider']),
          'lock.json',
        ),
      'go.aws-provider',
    );
    rejects(
      () =>
        parseToolsLock(
          mutate((l) => (l.go.terraform!.sourceArchive = { file: 'terraform.tar.gz', sha256: 'abc', topDir: 'terraform-1.14.5' })),
          'lock.json',
        ),
      'go.terraform.sourceArchive.sha256',
    );
    rejects(() => parseToolsLock('{ not json', 'lock.json'), 'not valid JSON');
  });

  it('reads a lock written to disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    await writeFile(join(dir, 'tools.lock.json'), await readFile(join(repoRoot, 'tools.lock.json'), 'utf8'));
    const lock = await readToolsLock(dir);
    assert.match(lock.go['aws-provider'].moduleVersion, /^v1\.60\.1-0\.\d{14}-[0-9a-f]{12}$/);
  });
});
