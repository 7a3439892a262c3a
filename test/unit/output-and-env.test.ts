import assert from 'node:assert/strict';
import { TaskError } from '../../lib/core/errors.js';
import { describe, test } from 'node:test';
import { childEnvironment, secretsOf } from '../../lib/aws/child-env.js';
import { deployStateFrom } from '../../lib/deploy/verify.js';
import { githubOutputText } from '../../lib/deploy/github-output.js';
import { formatOutputs, galleryLink } from '../../lib/deploy/outputs.js';
import { createRedactor } from '../../lib/core/redact.js';
import { satisfiesMinimum } from '../../tasks/doctor/runtime-checks.js';
import { sameKmsKey } from '../../lib/state-bucket/hardening.js';

const outputs = {
  ALIAS: 'caylent',
  ACCOUNT_ID: '123456789012',
  REPOSITORY_NAME: 'caylent-solutions/devcontainer-base',
  REPOSITORY_ARN: 'arn:aws:ecr-public::123456789012:repository/caylent-solutions/devcontainer-base',
  REPOSITORY_URI: 'public.ecr.aws/caylent/caylent-solutions/devcontainer-base',
};

describe('output formats', () => {
  test('env lines can be sourced by a shell, in a fixed order', () => {
    assert.equal(formatOutputs(outputs, 'env').split('\n')[0], 'ALIAS=caylent');
    assert.equal(formatOutputs(outputs, 'env').trim().split('\n').length, 5);
    // $GITHUB_OUTPUT takes one-line values in the same form.
    assert.equal(githubOutputText(outputs), formatOutputs(outputs, 'env'));
  });
  test('json round-trips', () => {
    assert.deepEqual(JSON.parse(formatOutputs(outputs, 'json')), outputs);
  });
  test('text aligns the values', () => {
    const lines = formatOutputs(outputs, 'text').trim().split('\n');
    assert.equal(new Set(lines.map((l) => l.indexOf('  ') > 0 && l.search(/ [^ ]/))).size, 1);
  });
  test('a value of several lines is refused (bad input with the fix) rather than corrupting an env file', () => {
    assert.throws(
      () => formatOutputs({ ...outputs, ALIAS: 'a\nEVIL=1' }, 'env'),
      (e: unknown) =>
        e instanceof TaskError && e.exitCode === 64 && /ALIAS holds a line break/.test(e.message) && /--format json/.test(e.hint ?? ''),
    );
  });
  test('gallery link', () => {
    assert.equal(galleryLink('https://gallery.ecr.aws', outputs), 'https://gallery.ecr.aws/caylent/caylent-solutions/devcontainer-base');
  });
  test('terraform outputs map to the downstream names, and a missing one says to apply', () => {
    const tf = {
      registry_alias: { value: 'caylent' },
      registry_id: { value: '123456789012' },
      repository_name: { value: outputs.REPOSITORY_NAME },
      repository_arn: { value: outputs.REPOSITORY_ARN },
      repository_uri: { value: outputs.REPOSITORY_URI },
      catalog_data: { value: { description: 'd', architectures: ['x86-64'], operating_systems: ['Linux'] } },
    };
    const state = deployStateFrom(tf);
    assert.deepEqual(state.values, outputs);
    assert.deepEqual(state.catalog, { description: 'd', architectures: ['x86-64'], operatingSystems: ['Linux'] });
    assert.throws(() => deployStateFrom({}), /npm run apply|not been applied/);
  });
});

describe('child environment for terraform', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-access-key-value', sessionToken: 'session-token-value' };
  test('explicit credentials, and no profile for terraform to resolve on its own', () => {
    const env = childEnvironment(
      { AWS_PROFILE: 'sso-admin', AWS_DEFAULT_PROFILE: 'x', AWS_ACCESS_KEY_ID: 'stale', PATH: '/bin' },
      credentials,
      { DEPLOY_STATE_BUCKET: 'b' },
    );
    assert.equal(env.AWS_PROFILE, undefined);
    assert.equal(env.AWS_DEFAULT_PROFILE, undefined);
    assert.equal(env.AWS_ACCESS_KEY_ID, 'AKIDEXAMPLE');
    assert.equal(env.AWS_SECRET_ACCESS_KEY, 'secret-access-key-value');
    assert.equal(env.AWS_SESSION_TOKEN, 'session-token-value');
    assert.equal(env.PATH, '/bin');
    assert.equal(env.DEPLOY_STATE_BUCKET, 'b');
  });
  test('long-lived keys leave no stale session token behind', () => {
    const env = childEnvironment({ AWS_SESSION_TOKEN: 'old' }, { accessKeyId: 'A', secretAccessKey: 'secret-long-lived' }, {});
    assert.equal(env.AWS_SESSION_TOKEN, undefined);
  });
  test('the secret and token are what the redactor hides', () => {
    const redact = createRedactor(secretsOf(credentials));
    assert.equal(redact('x secret-access-key-value y session-token-value'), 'x [redacted] y [redacted]');
  });
});

describe('small helpers', () => {
  test('a KMS key named by alias, id or ARN is the same key', () => {
    assert.equal(sameKmsKey('arn:aws:kms:us-east-1:123456789012:alias/state', 'alias/state'), true);
    assert.equal(
      sameKmsKey('arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', '1234abcd-12ab-34cd-56ef-1234567890ab'),
      true,
    );
    assert.equal(sameKmsKey('arn:aws:kms:us-east-1:123456789012:alias/other', 'alias/state'), false);
    assert.equal(sameKmsKey(undefined, undefined), true);
    assert.equal(sameKmsKey('alias/state', undefined), false);
  });
  test('engines ranges', () => {
    assert.equal(satisfiesMinimum('v20.20.2', '>=20.19.0'), true);
    assert.equal(satisfiesMinimum('v20.18.9', '>=20.19.0'), false);
    assert.equal(satisfiesMinimum('v22.0.0', '>=20.19.0'), true);
  });
});
