import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolveCredentials } from '../../lib/aws/credentials.js';
import { loadConfig } from '../../lib/config/load.js';
import { TaskError } from '../../lib/core/errors.js';
import { stateBucketExists } from '../../lib/state-bucket/converge.js';
import { okServer, type OkAnswer } from '../support/servers.js';
import '../support/no-leftovers.js';

// Endpoints that answer HTTP 200 with what AWS never says: success is not an answer until it reads as one.
const answer: OkAnswer = { body: '', headers: {} };
let server: Awaited<ReturnType<typeof okServer>>;
before(async () => {
  server = await okServer(answer);
});
after(async () => {
  await server.close();
});

const keys = { accessKeyId: 'AKIDNONAWS', secretAccessKey: 'non-aws-answers-secret' };
const scope = () => ({
  config: loadConfig({}, { AWS_ENDPOINT_URL_STS: server.url, AWS_ENDPOINT_URL_S3: server.url, AWS_CA_BUNDLE: server.certFile }),
  signal: new AbortController().signal,
});
const env = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };

function refusedAs(code: string, message: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof TaskError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    assert.match(error.hint ?? '', /run npm run doctor/);
    return true;
  };
}

const identity = (fields: string): string =>
  `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>${fields}</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

describe('STS GetCallerIdentity answered 200 without an identity', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a portal page', '<html><body>Welcome to the hotel network</body></html>', /no Account, no Arn/],
    ['plain text', 'garbage', /a body that is not STS XML/],
    ['JSON', '{"Account":"123456789012"}', /a body that is not STS XML/],
    ['an empty body', '', /no Account, no Arn/],
    ['an empty result', identity(''), /no Account, no Arn/],
    ['an account alone', identity('<Account>123456789012</Account>'), /\(no Arn\)/],
    ['a malformed account', identity('<Account>12345</Account><Arn>arn:aws:iam::12345:user/x</Arn>'), /not 12 digits/],
  ];
  for (const [what, body, missing] of cases)
    test(`${what}: not an identity, the run stops naming the endpoint`, async () => {
      Object.assign(answer, { body, headers: {} });
      await assert.rejects(
        resolveCredentials(scope(), env),
        refusedAs('STS_UNREADABLE', new RegExp(`STS GetCallerIdentity at ${server.url} answered with success but .*${missing.source}`)),
      );
    });

  test('an identity STS would give is confirmed through the same server', async () => {
    Object.assign(answer, {
      body: identity('<Arn>arn:aws:iam::123456789012:user/op</Arn><UserId>U</UserId><Account>123456789012</Account>'),
      headers: {},
    });
    const resolved = await resolveCredentials(scope(), env);
    assert.deepEqual(resolved.identity, { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/op' });
  });
});

describe('S3 HeadBucket answered 200 by something that is not S3', () => {
  test('200 to everything, without the x-amz-bucket-region S3 sends: the bucket is not taken as existing', async () => {
    Object.assign(answer, { body: '<html><body>Welcome</body></html>', headers: {} });
    await assert.rejects(
      stateBucketExists(scope(), keys, '123456789012'),
      refusedAs('S3_UNREADABLE', new RegExp(`S3 endpoint ${server.url} answered HeadBucket .* without the x-amz-bucket-region header`)),
    );
    assert.ok(server.methods().includes('HEAD'));
  });

  test("S3's answer, with the bucket's region, confirms it; another region is named", async () => {
    Object.assign(answer, {
      body: '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
      headers: { 'x-amz-bucket-region': 'us-east-1' },
    });
    assert.equal(await stateBucketExists(scope(), keys, '123456789012'), true);
    Object.assign(answer, { headers: { 'x-amz-bucket-region': 'eu-west-1' } });
    await assert.rejects(stateBucketExists(scope(), keys, '123456789012'), (error: unknown) => {
      assert.ok(error instanceof TaskError && error.code === 'BUCKET_REGION', String(error));
      assert.match(error.message, /is in eu-west-1, not DEPLOY_STATE_REGION=us-east-1/);
      return true;
    });
  });
});

describe('STS failing, or behind a certificate Node does not trust', () => {
  test('HTTP 500 without an AWS error is said as the status, not "Unknown: Unknown"', async () => {
    Object.assign(answer, { body: '<html><body>Internal Server Error</body></html>', headers: {}, status: 500 });
    try {
      await assert.rejects(resolveCredentials(scope(), env), (error: unknown) => {
        assert.ok(error instanceof TaskError, String(error));
        assert.equal(error.code, 'AWS_SERVER_ERROR');
        assert.match(error.message, /STS GetCallerIdentity: the endpoint answered HTTP 500, with no AWS error in its answer/);
        assert.doesNotMatch(error.message, /Unknown/);
        assert.match(error.hint ?? '', /again.*AWS_ENDPOINT_URL_/);
        return true;
      });
    } finally {
      delete answer.status;
    }
  });

  test("a private CA without AWS_CA_BUNDLE gets the AWS_CA_BUNDLE fix, not Node's --use-system-ca tip", async () => {
    Object.assign(answer, { body: '', headers: {} });
    const untrusted = { config: loadConfig({}, { AWS_ENDPOINT_URL_STS: server.url }), signal: new AbortController().signal };
    await assert.rejects(resolveCredentials(untrusted, env), (error: unknown) => {
      assert.ok(error instanceof TaskError, String(error));
      assert.equal(error.code, 'TLS_UNTRUSTED');
      assert.match(error.message, /the endpoint's TLS certificate is not trusted \(self[- ]signed certificate/);
      assert.doesNotMatch(`${error.message} ${error.hint ?? ''}`, /use-system-ca/);
      assert.match(error.hint ?? '', /set AWS_CA_BUNDLE in \.env to that CA's PEM file/);
      return true;
    });
  });
});
