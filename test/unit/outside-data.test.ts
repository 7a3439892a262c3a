import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { policyStatements, trustedSubjects } from '../../lib/aws/push-role.js';
import { TaskError } from '../../lib/core/errors.js';
import { projectName } from '../../lib/deploy/prepare.js';
import { runtimeChecks } from '../../tasks/doctor/runtime-checks.js';
import { parseStateLock } from '../../lib/state-lock/lock.js';
import { guardFile, withUnitGuard } from '../../lib/terragrunt/unit-guard.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outside-data-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Asserts a TaskError of exit 1 with `code`, whose message begins with `what` and names `problem`; returns its hint. */
function refused(error: unknown, code: string, what: string, problem: RegExp): string {
  assert.ok(error instanceof TaskError, String(error));
  assert.equal(error.exitCode, 1);
  assert.equal(error.code, code);
  assert.ok(error.message.startsWith(what), error.message);
  assert.match(error.message, problem);
  return error.hint ?? '';
}

const corrupt: ReadonlyArray<[string, RegExp]> = [
  ['{"ID": "a1b2", "Who": "op@', /is not JSON/],
  ['', /is not JSON/],
  ['null', /is not what it should be/],
];

describe('the state lock object', () => {
  const key = 'us-east-1/ecr-public-repository/terraform.tfstate.tflock';

  test("terraform's LockInfo is read", () => {
    const lock = parseStateLock(
      '{"ID":"a1b2","Operation":"OperationTypeApply","Who":"op@host","Created":"2026-01-01T00:00:00Z","Version":"1.14.5"}',
      'b',
      key,
    );
    assert.deepEqual(lock, { ID: 'a1b2', Operation: 'OperationTypeApply', Who: 'op@host', Created: '2026-01-01T00:00:00Z' });
  });

  test('a truncated, empty, null or ID-less lock names the object and how to look at it', () => {
    for (const [body, problem] of [...corrupt, ['{"Who": "op@host"}', /ID: /] as const, ['{"ID": ""}', /ID: /] as const])
      assert.throws(
        () => parseStateLock(body, 'state-bucket', key),
        (error: unknown) => {
          const hint = refused(error, 'LOCK_UNREADABLE', `s3://state-bucket/${key}, the state lock,`, problem);
          assert.match(hint, /aws s3 cp s3:\/\/state-bucket\/.*tflock -/);
          return true;
        },
      );
  });
});

describe("the project's package.json", () => {
  test('a corrupt package.json is named with the fix, for the Repository tag and for doctor', async () => {
    const file = join(dir, 'package.json');
    for (const [text, problem] of [...corrupt, ['{"version": "1"}', /name: /] as const, ['{"name": ""}', /name: /] as const]) {
      await writeFile(file, text);
      await assert.rejects(projectName(dir), (error: unknown) => {
        assert.match(refused(error, 'PROJECT_INVALID', file, problem), /git checkout package\.json/);
        return true;
      });
    }
    await writeFile(file, '{"name": "devcontainer-ecr-public", "engines": {"node": 26}}');
    assert.equal(await projectName(dir), 'devcontainer-ecr-public');
    const node = runtimeChecks(dir, 'v26.10.0').find((c) => c.id === 'node');
    assert.ok(node);
    await assert.rejects(
      async () => node.run(() => Promise.resolve(undefined as never), new AbortController().signal),
      (error: unknown) => {
        refused(error, 'PROJECT_INVALID', file, /engines\.node: /);
        return true;
      },
    );
  });
});

describe("a unit's guard file", () => {
  test("one that is not a guard (torn, null, another shape) is a dead run's: taken over", async () => {
    for (const text of ['{"pid": 1', 'null', '{"pid": "1", "what": "x"}']) {
      await writeFile(join(dir, guardFile), text);
      assert.equal(await withUnitGuard(dir, 'terragrunt plan', () => Promise.resolve('ran')), 'ran');
    }
  });
});

describe('IAM policy documents', () => {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:o/r:ref:refs/heads/main' } },
      },
    ],
  };

  test('a list of statements, or one alone, is read (URL-encoded, as IAM returns it)', () => {
    const encoded = encodeURIComponent(JSON.stringify(trust));
    assert.deepEqual(trustedSubjects(policyStatements(encoded, 'the trust')), ['repo:o/r:ref:refs/heads/main']);
    const single = encodeURIComponent(JSON.stringify({ ...trust, Statement: trust.Statement[0] }));
    assert.deepEqual(trustedSubjects(policyStatements(single, 'the trust')), ['repo:o/r:ref:refs/heads/main']);
  });

  test('a policy that is not one is named', () => {
    for (const [text, problem] of [...corrupt, ['{"Statement": [{"Action": 7}]}', /Statement/] as const])
      assert.throws(
        () => policyStatements(encodeURIComponent(text), 'The trust policy of the role r'),
        (error: unknown) => {
          refused(error, 'POLICY_UNREADABLE', 'The trust policy of the role r', problem);
          return true;
        },
      );
  });
});
