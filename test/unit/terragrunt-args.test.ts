import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { terragruntArgs } from '../../lib/terragrunt/args.js';
import { hintFor } from '../../lib/terragrunt/hints.js';

const common = {
  terraformPath: '/opt/tf/terraform',
  unitDir: '/p/platform/infra/terragrunt/us-east-1/ecr-public-repository',
  color: false,
  lockTimeoutSeconds: 300,
};

describe('terragrunt arguments', () => {
  test('every command is non-interactive, names the terraform binary and the unit', () => {
    for (const kind of ['init', 'destroy', 'output'] as const) {
      const args = terragruntArgs({ kind }, common);
      assert.equal(args[0], kind);
      assert.equal(args[1], '--non-interactive');
      assert.deepEqual(args.slice(args.indexOf('--tf-path'), args.indexOf('--tf-path') + 4), [
        '--tf-path',
        '/opt/tf/terraform',
        '--working-dir',
        common.unitDir,
      ]);
    }
  });

  test("terraform's output passes through as terraform prints it, without terragrunt's prefixes or colour", () => {
    const args = terragruntArgs({ kind: 'plan', planFile: '/p/x.tfplan', detailedExitCode: true }, common);
    const global = args.slice(0, args.indexOf('--'));
    assert.ok(global.includes('--tf-forward-stdout'), global.join(' '));
    assert.deepEqual(global.slice(global.indexOf('--log-format'), global.indexOf('--log-format') + 2), ['--log-format', 'bare']);
    assert.ok(global.includes('--no-color'));
    assert.ok(!terragruntArgs({ kind: 'init' }, { ...common, color: true }).includes('--no-color'));
  });

  test('never asks terragrunt to bootstrap the backend', () => {
    const all = [
      terragruntArgs({ kind: 'init' }, common),
      terragruntArgs({ kind: 'plan', planFile: '/p/x.tfplan', detailedExitCode: true }, common),
      terragruntArgs({ kind: 'apply', planFile: '/p/x.tfplan' }, common),
    ].flat();
    assert.ok(!all.some((a) => a.includes('bootstrap')), all.join(' '));
  });

  test('plan writes the plan file and keeps -detailed-exitcode only when asked', () => {
    const plain = terragruntArgs({ kind: 'plan', planFile: '/p/x.tfplan', detailedExitCode: false }, common);
    assert.ok(plain.includes('-out=/p/x.tfplan'));
    assert.ok(!plain.includes('-detailed-exitcode'));
    const detailed = terragruntArgs({ kind: 'plan', planFile: '/p/x.tfplan', detailedExitCode: true }, common);
    assert.ok(detailed.includes('-detailed-exitcode'));
  });

  test('apply applies the saved plan file, last', () => {
    const args = terragruntArgs({ kind: 'apply', planFile: '/p/x.tfplan' }, common);
    assert.equal(args.at(-1), '/p/x.tfplan');
    assert.ok(!args.includes('-auto-approve'));
  });

  test('colour is turned off for terraform with -no-color', () => {
    assert.ok(terragruntArgs({ kind: 'init' }, common).includes('-no-color'));
    assert.ok(!terragruntArgs({ kind: 'init' }, { ...common, color: true }).includes('-no-color'));
  });

  test('every command that takes the state lock waits for it for the configured time; the others take none', () => {
    const waiting = [
      terragruntArgs({ kind: 'plan', planFile: '/p/x.tfplan', detailedExitCode: false }, { ...common, lockTimeoutSeconds: 42 }),
      terragruntArgs({ kind: 'apply', planFile: '/p/x.tfplan' }, { ...common, lockTimeoutSeconds: 42 }),
      terragruntArgs({ kind: 'destroy' }, { ...common, lockTimeoutSeconds: 42 }),
      terragruntArgs({ kind: 'import', address: 'aws_ecrpublic_repository.this', id: 'x' }, { ...common, lockTimeoutSeconds: 42 }),
    ];
    for (const args of waiting)
      assert.deepEqual(
        args.filter((a) => a.startsWith('-lock')),
        ['-lock-timeout=42s'],
        args.join(' '),
      );
    // The read-only plan takes no lock, so there is nothing to wait for.
    const check = terragruntArgs({ kind: 'check', refresh: true }, common);
    assert.deepEqual(
      check.filter((a) => a.startsWith('-lock')),
      ['-lock=false'],
    );
    assert.ok(!terragruntArgs({ kind: 'output' }, common).some((a) => a.startsWith('-lock')));
  });

  test('output asks for JSON', () => {
    assert.deepEqual(terragruntArgs({ kind: 'output' }, common).slice(-1), ['-json']);
  });
});

describe('known failure hints', () => {
  const cases: Array<[string, RegExp]> = [
    [
      'Error: Error acquiring the state lock\nLock Info:\n  ID:        6d2c-11\n  Who:       ci@runner\n  Created:   2026-11-26 10:00:00',
      /held by ci@runner.*npm run unlock -- --lock-id 6d2c-11/,
    ],
    ['operation error S3: GetObject, ExpiredToken: The provided token has expired', /aws sso login/],
    [
      'Error: Failed to save state\nExpiredToken: The provided token has expired\nError releasing the state lock\nError message: ExpiredToken',
      /aws sso login --profile <profile>, then retry\. Terraform could not release its state lock: .*npm run unlock -- --lock-id <ID>/,
    ],
    ['NoSuchBucket: The specified bucket does not exist', /npm run init/],
    ['Error: Saved plan is stale', /npm run plan/],
    ['Error: Backend initialization required, please run "terraform init"', /npm run init/],
    ['Error: Failed to query available provider packages', /from its registry: check network access/],
    [
      "the local package for registry.terraform.io/hashicorp/aws 6.47.1 doesn't match any of the checksums previously recorded in the dependency lock file",
      /not the registry release the committed lock file names/,
    ],
    ['AccessDenied: User is not authorized to perform: ecr-public:CreateRepository', /permissions/],
    ['RepositoryNotEmptyException: The repository cannot be deleted', /force_destroy/],
    ['Error: Invalid value for variable', /terragrunt.hcl/],
    ['dial tcp 127.0.0.1:9: connect: connection refused', /unreachable/],
  ];
  for (const [output, expected] of cases) {
    test(`maps "${output.split('\n')[0]?.slice(0, 50)}"`, () => {
      assert.match(hintFor(output) ?? '', expected);
    });
  }

  test('unknown failures get no invented hint', () => {
    assert.equal(hintFor('Error: something nobody has seen'), undefined);
  });
  test('the drift check plans read-only: no plan file, no state lock, against state alone when asked', () => {
    const stateOnly = terragruntArgs({ kind: 'check', refresh: false }, common);
    const tail = stateOnly.slice(stateOnly.indexOf('--'));
    assert.equal(stateOnly[0], 'plan');
    assert.ok(tail.includes('-lock=false') && tail.includes('-detailed-exitcode') && tail.includes('-refresh=false'), tail.join(' '));
    assert.ok(!stateOnly.some((a) => a.startsWith('-out')), stateOnly.join(' '));
    assert.ok(!terragruntArgs({ kind: 'check', refresh: true }, common).includes('-refresh=false'));
  });

  test('a check whose changes are read saves them to the plan file it names', () => {
    const check = terragruntArgs({ kind: 'check', refresh: true, planFile: '/u/terragrunt.check-1.tfplan' }, common);
    assert.ok(check.includes('-lock=false') && check.includes('-out=/u/terragrunt.check-1.tfplan'), check.join(' '));
  });
});
