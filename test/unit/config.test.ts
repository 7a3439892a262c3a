import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { settings } from '../../lib/config/settings.js';
import { TaskError } from '../../lib/core/errors.js';
import { rootHclInputs } from '../../lib/deploy/prepare.js';
import { sandboxCertificate } from '../../sandbox/tls.js';

function problemsOf(env: Record<string, string>, overrides: Record<string, string> = {}): TaskError {
  try {
    loadConfig(overrides, env);
  } catch (error) {
    assert.ok(error instanceof TaskError, String(error));
    return error;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('configuration', () => {
  test('defaults are the brief: repository, region, bucket', () => {
    const config = loadConfig({}, {});
    assert.equal(config.repositoryName, 'caylent-solutions/devcontainer-base');
    assert.equal(config.ecrRegion, 'us-east-1');
    assert.equal(config.stateBucket, 'caylent-solutions-devcontainer-terraform-state');
    assert.equal(config.unit, 'us-east-1/ecr-public-repository');
    assert.equal(config.s3PathStyle, false);
    assert.equal(Object.isFrozen(config), true);
  });

  test('flag beats environment beats default', () => {
    assert.equal(loadConfig({}, { DEPLOY_STATE_BUCKET: 'from-env-bucket' }).stateBucket, 'from-env-bucket');
    assert.equal(
      loadConfig({ stateBucket: 'from-flag-bucket' }, { DEPLOY_STATE_BUCKET: 'from-env-bucket' }).stateBucket,
      'from-flag-bucket',
    );
  });

  test('good values of each kind are accepted and typed', () => {
    const config = loadConfig(
      {},
      {
        AWS_PROFILE: 'platform-admin',
        DEPLOY_EXPECTED_ACCOUNT_ID: '123456789012',
        DEPLOY_STATE_KMS_KEY_ID: 'alias/terraform-state',
        DEPLOY_STATE_NONCURRENT_DAYS: '90',
        DEPLOY_STATE_TAGS: 'Team=platform,CostCenter=1234',
        DEPLOY_BUCKET_READY_TIMEOUT_SECONDS: '30',
        AWS_ENDPOINT_URL_S3: 'https://127.0.0.1:4566/',
        DEPLOY_S3_PATH_STYLE: 'true',
      },
    );
    assert.equal(config.stateNoncurrentDays, 90);
    assert.deepEqual(config.stateTags, { Team: 'platform', CostCenter: '1234' });
    assert.equal(config.bucketReadyTimeoutSeconds, 30);
    assert.equal(config.s3Endpoint, 'https://127.0.0.1:4566');
    assert.equal(config.s3PathStyle, true);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['DEPLOY_REPOSITORY_NAME', 'Caylent/Base', /ECR Public repository name/],
    ['DEPLOY_REPOSITORY_NAME', 'a', /2-205/],
    ['DEPLOY_REPOSITORY_NAME', `${'a'.repeat(206)}`, /2-205/],
    ['DEPLOY_REPOSITORY_NAME', 'team//base', /lowercase segments/],
    ['DEPLOY_REPOSITORY_NAME', 'team/base-', /lowercase segments/],
    ['DEPLOY_ECR_REGION', 'eu-west-1', /us-east-1/],
    ['DEPLOY_STATE_BUCKET', 'My_Bucket', /3-63 characters/],
    ['DEPLOY_STATE_BUCKET', 'ab', /3-63 characters/],
    ['DEPLOY_STATE_BUCKET', 'bucket.with.dots', /3-63 characters/],
    ['DEPLOY_STATE_BUCKET', 'double--hyphen', /3-63 characters/],
    ['DEPLOY_STATE_BUCKET', 'xn--punycode', /3-63 characters/],
    ['DEPLOY_STATE_REGION', 'us-east', /AWS region/],
    ['DEPLOY_EXPECTED_ACCOUNT_ID', '12345', /12-digit/],
    ['DEPLOY_EXPECTED_ACCOUNT_ID', '12345678901a', /12-digit/],
    ['DEPLOY_STATE_KMS_KEY_ID', 'not-a-key', /KMS key/],
    ['DEPLOY_STATE_KMS_KEY_ID', '------------------------------------', /KMS key/],
    ['DEPLOY_STATE_NONCURRENT_DAYS', '-1', /0 to 3650/],
    ['DEPLOY_STATE_NONCURRENT_DAYS', '3651', /0 to 3650/],
    ['DEPLOY_STATE_TAGS', 'novalue', /key=value/],
    ['DEPLOY_STATE_TAGS', 'aws:reserved=x', /reserved aws: tag prefix/],
    ['DEPLOY_STATE_TAGS', 'AWS:reserved=x', /reserved aws: tag prefix \(in any case\): AWS:reserved/],
    ['DEPLOY_STATE_TAGS', 'Team=a,Aws:reserved=x', /reserved aws: tag prefix/],
    ['DEPLOY_STATE_TAGS', 'Team=a,Purpose=b,Team=c', /must not set the key Team twice/],
    ['DEPLOY_BUCKET_READY_TIMEOUT_SECONDS', '0', /1 to 3600/],
    ['DEPLOY_BUCKET_READY_TIMEOUT_SECONDS', '1.5', /whole number/],
    ['DEPLOY_AWS_TIMEOUT_SECONDS', 'ten', /whole number/],
    ['DEPLOY_SSO_WARNING_MINUTES', '99999', /1 to 1440/],
    ['DEPLOY_UNIT', '../etc', /no \.\./],
    ['DEPLOY_INFRA_DIR', '/tmp/other-project/terragrunt', /relative to the project/],
    ['DEPLOY_INFRA_DIR', '../other-project/terragrunt', /must not contain \.\./],
    ['DEPLOY_INFRA_DIR', 'platform/infra/../../../elsewhere', /must not contain \.\./],
    ['DEPLOY_UNIT', 'US-EAST-1/Repo', /lowercase/],
    ['DEPLOY_TERRAFORM_PATH', '/bin/terraform; rm -rf /', /path of letters/],
    ['AWS_ENDPOINT_URL_S3', 'http://s3.example.com', /https:\/\//],
    ['AWS_ENDPOINT_URL_STS', 'ftp://127.0.0.1', /https:\/\//],
    ['AWS_ENDPOINT_URL_ECR_PUBLIC', 'http://127.0.0.1:8080', /https:\/\//],
    ['AWS_ENDPOINT_URL_IAM', 'http://127.0.0.1:5000', /https:\/\//],
    ['AWS_CA_BUNDLE', 'relative/ca.pem', /absolute path/],
    ['AWS_CA_BUNDLE', '/nonexistent/corporate-ca.pem', /names a file that does not exist/],
    ['AWS_CA_BUNDLE', '/tmp', /must be a file/],
    ['AWS_CA_BUNDLE', join(process.cwd(), 'package.json'), /PEM file holding at least one certificate/],
    ['AWS_ENDPOINT_URL_ECR_PUBLIC', 'https://user:pw@host', /must not carry credentials/],
    ['DEPLOY_S3_PATH_STYLE', 'yes', /true or false/],
    ['AWS_PROFILE', 'has space', /1-64 characters/],
    ['DEPLOY_PUBLIC_TOKEN_URL', 'not a url', /absolute URL/],
  ];
  for (const [name, value, allowed] of bad) {
    test(`rejects ${name}=${value.slice(0, 30)}`, () => {
      const error = problemsOf({ [name]: value });
      assert.equal(error.exitCode, 64);
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.match(error.message, new RegExp(`${name}=`));
      assert.match(error.message, allowed);
    });
  }

  test('every problem is reported at once', () => {
    const error = problemsOf({ DEPLOY_STATE_BUCKET: 'Bad_Bucket', DEPLOY_ECR_REGION: 'eu-west-1', DEPLOY_AWS_TIMEOUT_SECONDS: '0' });
    assert.match(error.message, /3 problems/);
    for (const name of ['DEPLOY_STATE_BUCKET', 'DEPLOY_ECR_REGION', 'DEPLOY_AWS_TIMEOUT_SECONDS'])
      assert.match(error.message, new RegExp(name));
  });

  test('credentials inside a rejected URL are never echoed, whatever their form', () => {
    const error = problemsOf({ AWS_ENDPOINT_URL_S3: 'https://AKIDEXAMPLE:very-secret-value@s3.example.com' });
    assert.ok(!error.message.includes('very-secret-value'), error.message);
    assert.match(error.message, /https:\/\/\*\*\*@s3\.example\.com/);
    const forms: Array<[string, string]> = [
      [' https://AKIDEXAMPLE:leading-space-secret@s3.example.com', 'leading-space-secret'],
      ['\thttps://AKIDEXAMPLE:leading-tab-secret@s3.example.com', 'leading-tab-secret'],
      ['https://AKIDEXAMPLE:slash/in-password-secret@s3.example.com', 'in-password-secret'],
      ['https://AKIDEXAMPLE:percent%2Fencoded-secret@s3.example.com', 'encoded-secret'],
      ['HTTPS://AKIDEXAMPLE:upper-case-scheme-secret@s3.example.com', 'upper-case-scheme-secret'],
      ['http://AKIDEXAMPLE:plain-http-secret@s3.example.com', 'plain-http-secret'],
      ['https:AKIDEXAMPLE:no-slashes-secret@s3.example.com', 'no-slashes-secret'],
    ];
    for (const [url, secret] of forms) {
      for (const name of ['AWS_ENDPOINT_URL_S3', 'DEPLOY_STATE_BUCKET']) {
        const message = problemsOf({ [name]: url }).message;
        assert.ok(!message.includes(secret), `${JSON.stringify(url)} leaked: ${message}`);
        assert.ok(!message.includes('AKIDEXAMPLE'), `${JSON.stringify(url)} leaked the user: ${message}`);
      }
    }
  });

  test('a missing CA bundle is one more configuration problem, reported with the others', () => {
    const error = problemsOf({ AWS_CA_BUNDLE: '/nonexistent/corporate-ca.pem', DEPLOY_STATE_BUCKET: 'Bad_Bucket' });
    assert.match(error.message, /2 problems/);
    assert.match(error.message, /AWS_CA_BUNDLE="\/nonexistent\/corporate-ca.pem": names a file that does not exist/);
  });

  test('the IAM endpoint, from its flag or AWS_ENDPOINT_URL_IAM, reaches root.hcl and terraform only when set', () => {
    const fromEnv = loadConfig({}, { AWS_ENDPOINT_URL_IAM: 'https://127.0.0.1:4566/' });
    assert.equal(fromEnv.iamEndpoint, 'https://127.0.0.1:4566');
    assert.equal(rootHclInputs(fromEnv, 'p').AWS_ENDPOINT_URL_IAM, 'https://127.0.0.1:4566');
    assert.equal(loadConfig({ iamEndpoint: 'https://iam.example.com' }, {}).iamEndpoint, 'https://iam.example.com');
    assert.ok(!('AWS_ENDPOINT_URL_IAM' in rootHclInputs(loadConfig({}, {}), 'p')), 'unset: AWS');
  });

  test('a bad flag is named as the flag', () => {
    assert.match(problemsOf({}, { stateBucket: 'Bad_Bucket' }).message, /--state-bucket=/);
  });

  test('each setting has one distinct flag and environment variable', () => {
    assert.equal(new Set(settings.map((s) => s.env)).size, settings.length);
    assert.equal(new Set(settings.map((s) => s.flag)).size, settings.length);
  });
});

describe('what fails later is refused now', () => {
  let dir: string;
  let good: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'config-pem-'));
    good = (await sandboxCertificate(dir, '127.0.0.1')).certFile;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('an endpoint with a blank or a control character anywhere is refused, shown escaped', () => {
    const cases: Array<[string, string, string]> = [
      ['AWS_ENDPOINT_URL_S3', 'https://127.0.0.1:4566\n', '"https://127.0.0.1:4566\\n"'],
      ['AWS_ENDPOINT_URL_STS', 'https://sts.us-east-1.amazonaws.com\t', '"https://sts.us-east-1.amazonaws.com\\t"'],
      ['AWS_ENDPOINT_URL_IAM', 'https://iam.\tamazonaws.com', '"https://iam.\\tamazonaws.com"'],
      ['AWS_ENDPOINT_URL_ECR_PUBLIC', ' https://api.ecr-public.us-east-1.amazonaws.com', '" https://api.ecr-public'],
      ['DEPLOY_PUBLIC_TOKEN_URL', 'https://public.ecr.aws/token/\r\n', '"https://public.ecr.aws/token/\\r\\n"'],
      ['DEPLOY_GALLERY_URL', 'https://gallery.ecr.aws\u0000', '"https://gallery.ecr.aws\\u0000"'],
    ];
    for (const [name, value, shown] of cases) {
      const error = problemsOf({ [name]: value });
      assert.match(error.message, new RegExp(`${name}=.*must not contain blanks or control characters`), JSON.stringify(value));
      assert.ok(error.message.includes(`${name}=${shown}`), error.message);
    }
    // The flag's value too; and a clean URL still passes.
    assert.match(problemsOf({}, { s3Endpoint: 'https://127.0.0.1:4566\n' }).message, /--s3-endpoint=.*control characters/);
    assert.equal(loadConfig({}, { AWS_ENDPOINT_URL_S3: 'https://127.0.0.1:4566' }).s3Endpoint, 'https://127.0.0.1:4566');
  });

  test('a CA bundle whose certificates do not all parse is refused; a good one passes', async () => {
    const pem = await readFile(good, 'utf8');
    const damaged = join(dir, 'damaged.pem');
    // One certificate whole, the second with its base64 cut short in the middle.
    const body = pem.split('\n');
    await writeFile(damaged, `${pem}${[...body.slice(0, 3), ...body.slice(5)].join('\n')}`);
    const der = join(dir, 'binary.der');
    await writeFile(der, Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
    const headerOnly = join(dir, 'header-only.pem');
    await writeFile(headerOnly, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    assert.match(problemsOf({ AWS_CA_BUNDLE: damaged }).message, /certificate 2 of 2 cannot be parsed/);
    assert.match(problemsOf({ AWS_CA_BUNDLE: headerOnly }).message, /certificate 1 of 1 cannot be parsed/);
    assert.match(problemsOf({ AWS_CA_BUNDLE: der }).message, /must be a PEM file holding at least one certificate/);
    assert.equal(loadConfig({}, { AWS_CA_BUNDLE: good }).caBundle, good);
  });

  test('a terraform or terragrunt path must be absolute: the version check and terragrunt then run one file', () => {
    for (const [name, value] of [
      ['DEPLOY_TERRAFORM_PATH', 'bin/terraform'],
      ['DEPLOY_TERRAFORM_PATH', './terraform'],
      ['DEPLOY_TERRAFORM_PATH', 'terraform'],
      ['DEPLOY_TERRAGRUNT_PATH', '../tools/terragrunt'],
    ] as const)
      assert.match(problemsOf({ [name]: value }).message, new RegExp(`${name}=.*must be an absolute path \\(terragrunt runs terraform`));
    const config = loadConfig(
      {},
      { DEPLOY_TERRAFORM_PATH: '/opt/terraform/1.14.5/terraform', DEPLOY_TERRAGRUNT_PATH: '/opt/tg/terragrunt' },
    );
    assert.deepEqual([config.terraformPath, config.terragruntPath], ['/opt/terraform/1.14.5/terraform', '/opt/tg/terragrunt']);
  });
});
