import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { startCountingProxy, type CountingProxy } from '../../sandbox/counting-proxy.js';
import { describeFaults, Faults, parseFaults, type ProxyHooks } from '../../sandbox/faults.js';
import { sandboxCertificate } from '../../sandbox/tls.js';

test('--faults parses every fault with its count, and describes them back', () => {
  const spec = parseFaults('s3-lag=3, ecr-lag=2,throttle=4,expire=40');
  assert.deepEqual(spec, { s3Lag: 3, ecrLag: 2, throttle: 4, expire: 40 });
  assert.equal(describeFaults(spec), 's3-lag=3,ecr-lag=2,throttle=4,expire=40');
  assert.equal(describeFaults({}), 'none');
});

test('--faults rejects unknown names, missing or unbounded counts, repeats and throttling every request (exit 64)', () => {
  for (const bad of ['slow=3', 's3-lag', 's3-lag=0', 'throttle=1', 'expire=1001', 's3-lag=2,s3-lag=3', 's3-lag=-1', '']) {
    assert.throws(
      () => parseFaults(bad),
      (error: unknown) => error instanceof TaskError && error.exitCode === 64 && /s3-lag=N/.test(error.hint ?? ''),
      bad,
    );
  }
});

interface Answer {
  status: number;
  body: string;
}

describe('faults answered by the sandbox proxy, in each service wire format', () => {
  let dir: string;
  let upstream: Server;
  let ca: string;
  const faults = new Faults();
  const proxies: CountingProxy[] = [];

  /** A proxy with the given hooks in front of an upstream that answers 200 to everything. */
  async function proxy(hooks: ProxyHooks): Promise<CountingProxy> {
    const tls = await sandboxCertificate(dir, '127.0.0.1');
    ca = tls.cert;
    const started = await startCountingProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, '127.0.0.1', tls, hooks);
    proxies.push(started);
    return started;
  }

  function send(
    p: CountingProxy,
    method: string,
    path: string,
    options: { key?: string; target?: string; body?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      authorization: `AWS4-HMAC-SHA256 Credential=${options.key ?? 'AKIDBASE'}/20261127/us-east-1/s3/aws4_request`,
      ...(options.target ? { 'x-amz-target': `SpencerFrontendService.${options.target}` } : {}),
    };
    return new Promise((resolve, reject) => {
      const req = request(`${p.url}${path}`, { method, headers, ca }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(options.body ?? '');
    });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faults-'));
    upstream = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
  });
  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    upstream.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('S3 lag: after CreateBucket, HeadBucket and object calls pass; the next N configuration calls answer NoSuchBucket', async () => {
    const p = await proxy(faults.awsHooks());
    faults.set({ s3Lag: 2 });
    assert.equal((await send(p, 'PUT', '/lagging')).status, 200);
    assert.equal((await send(p, 'HEAD', '/lagging')).status, 200);
    assert.equal((await send(p, 'GET', '/lagging/some/key')).status, 200);
    const first = await send(p, 'GET', '/lagging?versioning');
    assert.equal(first.status, 404);
    assert.match(first.body, /<Code>NoSuchBucket<\/Code>/);
    assert.equal((await send(p, 'PUT', '/lagging?policy')).status, 404);
    assert.equal((await send(p, 'PUT', '/lagging?policy')).status, 200, 'the lag is bounded');
    assert.equal((await send(p, 'GET', '/other?versioning')).status, 200, 'only the created bucket lags');
    assert.deepEqual(
      p
        .requests()
        .filter((r) => r.fault)
        .map((r) => `${r.method} ${r.path} ${r.fault ?? ''}`),
      ['GET /lagging?versioning NoSuchBucket', 'PUT /lagging?policy NoSuchBucket'],
    );
    faults.set({});
    assert.equal((await send(p, 'PUT', '/lagging2')).status, 200);
    assert.equal((await send(p, 'GET', '/lagging2?versioning')).status, 200, 'switched off');
  });

  test('throttling: every Nth request per service, S3 SlowDown 503 and STS Throttling 400', async () => {
    const p = await proxy(faults.awsHooks());
    faults.set({ throttle: 3 });
    const s3 = [];
    for (let i = 0; i < 6; i += 1) s3.push((await send(p, 'GET', '/bucket/key')).status);
    assert.deepEqual(s3, [200, 200, 503, 200, 200, 503]);
    const sts = [];
    for (let i = 0; i < 3; i += 1) sts.push(await send(p, 'POST', '/'));
    assert.deepEqual(
      sts.map((a) => a.status),
      [200, 200, 400],
    );
    assert.match(sts[2]?.body ?? '', /<Code>Throttling<\/Code>/);
    const head = await send(p, 'HEAD', '/bucket');
    assert.equal(head.status, 200);
    faults.set({});
  });

  test('throttling: the retry of a throttled request gets through, even when other requests would make it the next Nth', async () => {
    const p = await proxy(faults.awsHooks());
    faults.set({ throttle: 2 });
    // Two clients side by side: /b/a is throttled as the 2nd request, and its retry, the 4th, passes; the 6th is throttled again.
    const answers = [];
    for (const path of ['/b/other', '/b/a', '/b/other', '/b/a', '/b/other', '/b/other'])
      answers.push(`${path} ${(await send(p, 'GET', path)).status}`);
    assert.deepEqual(answers, ['/b/other 200', '/b/a 503', '/b/other 200', '/b/a 200', '/b/other 200', '/b/other 503']);
    faults.set({});
  });

  test('a session ends after its request budget or at its expiration; other keys are untouched', async () => {
    const p = await proxy(faults.awsHooks());
    faults.addSession('ASIASHORT', new Date(Date.now() + 900_000));
    faults.addSession('ASIAPAST', new Date(Date.now() - 1000));
    faults.set({ expire: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await send(p, 'GET', '/b/k', { key: 'ASIASHORT' })).status);
    assert.deepEqual(statuses, [200, 200, 400]);
    assert.match((await send(p, 'GET', '/b/k', { key: 'ASIASHORT' })).body, /<Code>ExpiredToken<\/Code>/);
    assert.match((await send(p, 'POST', '/', { key: 'ASIASHORT' })).body, /<Code>ExpiredTokenException<\/Code>/);
    assert.equal((await send(p, 'GET', '/b/k', { key: 'ASIAPAST' })).status, 400, 'past its expiration');
    assert.equal((await send(p, 'GET', '/b/k')).status, 200, 'the base keys still work');
    faults.set({});
    faults.expireSessions();
    assert.equal((await send(p, 'GET', '/b/k', { key: 'ASIASHORT' })).status, 400);
  });

  test('ECR Public: DescribeRepositories lags after CreateRepository; throttling answers ThrottlingException 400', async () => {
    const p = await proxy(faults.ecrPublicHooks('123456789012'));
    faults.set({ ecrLag: 2 });
    const describe = () => send(p, 'POST', '/', { target: 'DescribeRepositories', body: '{"repositoryNames":["team/app"]}' });
    assert.equal((await describe()).status, 200, 'no lag before a create');
    assert.equal((await send(p, 'POST', '/', { target: 'CreateRepository', body: '{"repositoryName":"team/app"}' })).status, 200);
    const lagged = await describe();
    assert.equal(lagged.status, 400);
    assert.deepEqual(JSON.parse(lagged.body), {
      __type: 'RepositoryNotFoundException',
      message: "The repository with name 'team/app' does not exist in the registry with id '123456789012'",
    });
    assert.equal((await describe()).status, 400);
    assert.equal((await describe()).status, 200);
    assert.equal((await send(p, 'GET', '/health')).status, 200, 'not an API call');
    faults.set({ throttle: 2 });
    await describe();
    const throttled = await describe();
    assert.equal(throttled.status, 400);
    assert.equal((JSON.parse(throttled.body) as { __type: string }).__type, 'ThrottlingException');
    faults.set({});
  });
});
