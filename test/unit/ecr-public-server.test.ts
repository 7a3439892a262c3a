// Drives the ECR Public sandbox through the real @aws-sdk/client-ecr-public client,
// and checks its validation rules against botocore's published API model.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import * as ecr from '@aws-sdk/client-ecr-public';
import { startEcrPublicServer, type EcrPublicServer } from '../../sandbox/ecr-public/server.js';
import '../support/no-leftovers.js';

const ACCOUNT = '123456789012';
const ALIAS = 'sandboxalias';
const REGION = 'us-east-1';
const OPTIONS = { host: '127.0.0.1', port: 0, accountId: ACCOUNT, registryAlias: ALIAS, region: REGION };
const FAKE_AUTH = `AWS4-HMAC-SHA256 Credential=AKID/20250101/${REGION}/ecr-public/aws4_request, SignedHeaders=host, Signature=0`;

let server: EcrPublicServer;
let api: ecr.ECRPUBLIC;

function makeClient(url: string, maxAttempts = 1, region = REGION): ecr.ECRPUBLIC {
  const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
  // One attempt by default, so an error surfaces as itself rather than after retries.
  return new ecr.ECRPUBLIC({ endpoint: url, region, credentials, maxAttempts });
}

async function rejectsWith(promise: Promise<unknown>, code: string, status = 400, label = code): Promise<void> {
  await assert.rejects(promise, (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.deepEqual([error.name, error.$metadata?.httpStatusCode], [code, status], label);
    return true;
  });
}

const create = (repositoryName: string, extra: Partial<ecr.CreateRepositoryCommandInput> = {}) =>
  api.createRepository({ repositoryName, ...extra });
const arnOf = (name: string): string => `arn:aws:ecr-public::${ACCOUNT}:repository/${name}`;
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const jsonType = async (res: Response): Promise<string> => ((await res.json()) as { __type: string }).__type;

function rawApi(operation: string, body: string, headers: Record<string, string> = { authorization: FAKE_AUTH }) {
  const target = operation.includes('.') ? operation : `SpencerFrontendService.${operation}`;
  const all = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers };
  return fetch(`${server.url}/`, { method: 'POST', headers: all, body });
}

before(async () => {
  server = await startEcrPublicServer(OPTIONS);
  api = makeClient(server.url);
});

after(async () => {
  api.destroy();
  await server.close();
});

test('repositories: create, describe, paginate, delete', async () => {
  const out = await create('team/app-one', { catalogData: { description: 'd', architectures: ['ARM 64'] } });
  const { createdAt, ...shape } = out.repository ?? {};
  const uri = `public.ecr.aws/${ALIAS}/team/app-one`;
  assert.deepEqual(shape, {
    repositoryArn: arnOf('team/app-one'),
    registryId: ACCOUNT,
    repositoryName: 'team/app-one',
    repositoryUri: uri,
  });
  assert.ok(Math.abs((createdAt?.getTime() ?? 0) - Date.now()) < 60_000, `createdAt ${String(createdAt)}`);
  assert.deepEqual(out.catalogData, { description: 'd', architectures: ['ARM 64'] });
  for (const name of ['page-a', 'page-b', 'page-c']) await create(name);
  const named = await api.describeRepositories({ repositoryNames: ['page-b'] });
  assert.deepEqual(
    named.repositories?.map((r) => r.repositoryName),
    ['page-b'],
  );
  const pages: string[][] = [];
  for await (const page of ecr.paginateDescribeRepositories({ client: api, pageSize: 2 }, {})) {
    pages.push((page.repositories ?? []).map((r) => r.repositoryName ?? ''));
    // The SDK paginator follows tokens forever; a token that never advances must fail, not hang.
    if (pages.length > 5) assert.fail(`pagination does not terminate: ${JSON.stringify(pages)}`);
  }
  assert.deepEqual(pages, [
    ['page-a', 'page-b'],
    ['page-c', 'team/app-one'],
  ]);
  assert.deepEqual((await api.describeRepositories({ registryId: '210987654321' })).repositories, []);
  server.setImageCount('page-c', 3);
  assert.equal((await api.deleteRepository({ repositoryName: 'page-c', force: true })).repository?.repositoryName, 'page-c');
  assert.equal((await api.deleteRepository({ repositoryName: 'page-b' })).repository?.repositoryArn, arnOf('page-b'));
});

test('catalog data: defaults, Put replaces given fields, the logo URL serves the logo', async () => {
  await create('cat-repo', { catalogData: { description: 'first', aboutText: 'about' } });
  const get = async () => (await api.getRepositoryCatalogData({ repositoryName: 'cat-repo' })).catalogData;
  assert.deepEqual(await get(), { description: 'first', aboutText: 'about', marketplaceCertified: false });
  const logo = Buffer.from('\x89PNG\r\n\x1a\nfake-logo', 'binary');
  const catalogData = { usageText: 'use', operatingSystems: ['Linux'], logoImageBlob: logo };
  assert.equal((await api.putRepositoryCatalogData({ repositoryName: 'cat-repo', catalogData })).catalogData?.aboutText, 'about');
  const { logoUrl, ...rest } = (await get()) ?? {};
  const expected = { description: 'first', aboutText: 'about', usageText: 'use', operatingSystems: ['Linux'] };
  assert.deepEqual(rest, { ...expected, marketplaceCertified: false });
  assert.match(logoUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/logo\/[0-9a-f]{64}\.png$/);
  assert.deepEqual(Buffer.from(await (await fetch(logoUrl ?? '')).arrayBuffer()), logo);
});

test('registry, tags and repository policy', async () => {
  const registries = (await api.describeRegistries({})).registries;
  const alias = { name: ALIAS, status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true };
  const registryArn = `arn:aws:ecr-public::${ACCOUNT}:registry/${ACCOUNT}`;
  const registry = { registryId: ACCOUNT, registryArn, registryUri: `public.ecr.aws/${ALIAS}`, verified: false };
  assert.deepEqual(registries, [{ ...registry, aliases: [alias] }]);
  assert.deepEqual((await api.getRegistryCatalogData({})).registryCatalogData, { displayName: ALIAS });
  await create('tagged', { tags: [{ Key: 'team', Value: 'a' }] });
  const tags = async () => (await api.listTagsForResource({ resourceArn: arnOf('tagged') })).tags;
  await api.tagResource({
    resourceArn: arnOf('tagged'),
    tags: [
      { Key: 'env', Value: '' },
      { Key: 'team', Value: 'b' },
    ],
  });
  assert.deepEqual(await tags(), [
    { Key: 'team', Value: 'b' },
    { Key: 'env', Value: '' },
  ]);
  await api.untagResource({ resourceArn: arnOf('tagged'), tagKeys: ['team'] });
  assert.deepEqual(await tags(), [{ Key: 'env', Value: '' }]);
  const policyText = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ecr-public:*'] }],
  });
  const expected = { registryId: ACCOUNT, repositoryName: 'tagged', policyText };
  const strip = (output: { $metadata: unknown }) => Object.fromEntries(Object.entries(output).filter(([k]) => k !== '$metadata'));
  assert.deepEqual(strip(await api.setRepositoryPolicy({ repositoryName: 'tagged', policyText })), expected);
  assert.deepEqual(strip(await api.getRepositoryPolicy({ repositoryName: 'tagged' })), expected);
  assert.deepEqual(strip(await api.deleteRepositoryPolicy({ repositoryName: 'tagged' })), expected);
});

test('every documented error code, through the SDK', async (t) => {
  await create('errs');
  server.setImageCount('errs', 1);
  await create('no-catalog');
  server.clearCatalogData('no-catalog');
  const name = { repositoryName: 'errs' };
  const missing = { repositoryName: 'missing-repo' };
  const tag = (Key: string, Value = 'v', resourceArn = arnOf('errs')) => api.tagResource({ resourceArn, tags: [{ Key, Value }] });
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['duplicate', () => create('errs'), 'RepositoryAlreadyExistsException'],
    ['describe missing', () => api.describeRepositories({ repositoryNames: ['errs', 'missing-repo'] }), 'RepositoryNotFoundException'],
    ['delete missing', () => api.deleteRepository(missing), 'RepositoryNotFoundException'],
    ['catalog missing', () => api.getRepositoryCatalogData(missing), 'RepositoryNotFoundException'],
    ['put catalog missing', () => api.putRepositoryCatalogData({ ...missing, catalogData: {} }), 'RepositoryNotFoundException'],
    ['policy missing repo', () => api.setRepositoryPolicy({ ...missing, policyText: '{}' }), 'RepositoryNotFoundException'],
    ['tag missing repo', () => tag('k', 'v', arnOf('missing-repo')), 'RepositoryNotFoundException'],
    ['not empty', () => api.deleteRepository(name), 'RepositoryNotEmptyException'],
    ['not empty, force=false', () => api.deleteRepository({ ...name, force: false }), 'RepositoryNotEmptyException'],
    ['no policy', () => api.getRepositoryPolicy(name), 'RepositoryPolicyNotFoundException'],
    ['delete no policy', () => api.deleteRepositoryPolicy(name), 'RepositoryPolicyNotFoundException'],
    ['no catalog', () => api.getRepositoryCatalogData({ repositoryName: 'no-catalog' }), 'RepositoryCatalogDataNotFoundException'],
    ['policy not JSON', () => api.setRepositoryPolicy({ ...name, policyText: '{not json' }), 'InvalidParameterException'],
    ['names with maxResults', () => api.describeRepositories({ repositoryNames: ['errs'], maxResults: 5 }), 'InvalidParameterException'],
    ['bad nextToken', () => api.describeRepositories({ nextToken: 'not-a-token!' }), 'InvalidParameterException'],
    ['maxResults 1001', () => api.describeRepositories({ maxResults: 1001 }), 'InvalidParameterException'],
    ['bad registryId', () => api.describeRepositories({ registryId: '12345' }), 'InvalidParameterException'],
    ['bad ARN', () => api.listTagsForResource({ resourceArn: 'arn:aws:s3:::bucket' }), 'InvalidParameterException'],
    ['key 129', () => tag('k'.repeat(129)), 'InvalidTagParameterException'],
    ['empty key', () => tag(''), 'InvalidTagParameterException'],
    ['value 257', () => tag('k', 'v'.repeat(257)), 'InvalidTagParameterException'],
    ['aws: prefix', () => tag('aws:reserved'), 'InvalidTagParameterException'],
    ['51 tags on create', () => create('many-tags', { tags: times(51, (i) => ({ Key: `k${i}`, Value: '' })) }), 'TooManyTagsException'],
    [
      '51st tag',
      () => api.tagResource({ resourceArn: arnOf('errs'), tags: times(51, (i) => ({ Key: `k${i}`, Value: '' })) }),
      'TooManyTagsException',
    ],
    ['not implemented', () => api.describeImages(name), 'UnknownOperationException'],
  ];
  for (const [label, call, code] of cases) await rejectsWith(call(), code, 400, label);
  await tag('k'.repeat(128), 'v'.repeat(256));
  const small = await startEcrPublicServer({ ...OPTIONS, repositoryLimit: 1 });
  const smallApi = makeClient(small.url);
  // Cleanup even on failure: an open server would keep the test process alive.
  t.after(() => (smallApi.destroy(), small.close()));
  await smallApi.createRepository({ repositoryName: 'first' });
  await rejectsWith(smallApi.createRepository({ repositoryName: 'second' }), 'LimitExceededException');
});

test('validation edges', async () => {
  const catalog = (catalogData: ecr.RepositoryCatalogDataInput) => ({ catalogData });
  const cases: Array<[string, Partial<ecr.CreateRepositoryCommandInput>]> = [
    ['a', {}],
    ['a'.repeat(206), {}],
    ['Upper-Case', {}],
    ['bad__name', {}],
    ['trailing/', {}],
    ['edge-desc', catalog({ description: 'x'.repeat(1025) })],
    ['edge-about', catalog({ aboutText: 'x'.repeat(25601) })],
    ['edge-usage', catalog({ usageText: 'x'.repeat(25601) })],
    ['edge-arch', catalog({ architectures: times(51, () => 'x86') })],
    ['edge-os', catalog({ operatingSystems: times(51, () => 'Linux') })],
    ['edge-item', catalog({ architectures: [''] })],
    ['edge-item-long', catalog({ operatingSystems: ['L'.repeat(51)] })],
    ['edge-logo', catalog({ logoImageBlob: new Uint8Array(512001) })],
  ];
  for (const [name, extra] of cases) await rejectsWith(create(name, extra), 'InvalidParameterException', 400, name);
  const badLogo = JSON.stringify({ repositoryName: 'edge-b64', catalogData: { logoImageBlob: 'not base64!' } });
  assert.equal(await jsonType(await rawApi('CreateRepository', badLogo)), 'InvalidParameterException');
  for (const name of ['ab', 'a'.repeat(205), 'ns.one/sub_two/x-y']) assert.equal((await create(name)).repository?.repositoryName, name);
  const max = { description: 'x'.repeat(1024), aboutText: 'x'.repeat(25600), usageText: 'x'.repeat(25600) };
  const full = { ...max, architectures: times(50, (i) => `a${i}`), logoImageBlob: new Uint8Array(512000) };
  assert.equal((await create('edge-max', catalog(full))).catalogData?.architectures?.length, 50);
  // Values outside the Gallery badge lists are stored and returned (see GALLERY_ARCHITECTURES).
  await create('edge-unknown', catalog({ architectures: ['RISC-V'], operatingSystems: ['Plan 9'] }));
  const stored = (await api.getRepositoryCatalogData({ repositoryName: 'edge-unknown' })).catalogData;
  assert.deepEqual([stored?.architectures, stored?.operatingSystems], [['RISC-V'], ['Plan 9']]);
});

test('protocol: authentication, targets, bodies, signing region, server faults', async () => {
  const noAuth = await rawApi('DescribeRegistries', '{}', {});
  assert.equal(noAuth.status, 400);
  assert.equal(noAuth.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  assert.equal(noAuth.headers.get('content-type'), 'application/x-amz-json-1.1');
  assert.match(noAuth.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(await jsonType(noAuth), 'MissingAuthenticationTokenException');
  assert.equal(await jsonType(await rawApi('AmazonEC2ContainerRegistry_V20150921.ListImages', '{}')), 'UnknownOperationException');
  assert.equal(await jsonType(await rawApi('DescribeRegistries', '{"oops"')), 'SerializationException');
  assert.equal(await jsonType(await rawApi('CreateRepository', '{"repositoryName": 7}')), 'SerializationException');
  const west = makeClient(server.url, 1, 'us-west-2');
  await rejectsWith(west.describeRegistries({}), 'InvalidSignatureException').finally(() => west.destroy());
  server.injectServerFault('DescribeRegistries');
  await rejectsWith(api.describeRegistries({}), 'ServerException', 500);
  server.injectServerFault('DescribeRegistries');
  const retrying = makeClient(server.url, 2);
  server.resetRequestLog();
  await retrying.describeRegistries({}).finally(() => retrying.destroy());
  assert.deepEqual(
    server.requests().map((r) => [r.operation, r.status]),
    [
      ['DescribeRegistries', 500],
      ['DescribeRegistries', 200],
    ],
  );
});

test('an idempotent converge makes zero writes the second time', async () => {
  const converge = async (): Promise<void> => {
    const found = await api.describeRepositories({ repositoryNames: ['converge-me'] }).catch((error: Error) => {
      if (error.name === 'RepositoryNotFoundException') return undefined;
      throw error;
    });
    if (!found) await create('converge-me', { catalogData: { description: 'wanted' } });
    const current = await api.getRepositoryCatalogData({ repositoryName: 'converge-me' });
    if (current.catalogData?.description !== 'wanted') throw new Error('catalog drifted');
  };
  server.resetRequestLog();
  await converge();
  assert.deepEqual(
    server
      .requests()
      .filter((r) => r.write)
      .map((r) => r.operation),
    ['CreateRepository'],
  );
  server.resetRequestLog();
  await converge();
  const reads = [
    { operation: 'DescribeRepositories', write: false, status: 200 },
    { operation: 'GetRepositoryCatalogData', write: false, status: 200 },
  ];
  assert.deepEqual(server.requests(), reads);
});

test('anonymous pull token and health', async () => {
  const token = await fetch(`${server.url}/token?scope=repository:${ALIAS}/team/app-one:pull`);
  assert.equal(token.status, 200);
  assert.match(((await token.json()) as { token: string }).token, /^[A-Za-z0-9_-]{20,}$/);
  const missing = await fetch(`${server.url}/token?scope=repository:${ALIAS}/absent-repo:pull`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { errors: Array<{ code: string }> }).errors[0]?.code, 'NAME_UNKNOWN');
  assert.equal((await fetch(`${server.url}/token?scope=repository:${ALIAS}/team/app-one:push`)).status, 401);
  const health = await fetch(`${server.url}/health`);
  assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
});

test('close() ends kept-alive and in-flight connections', { timeout: 10_000 }, async (t) => {
  const own = await startEcrPublicServer(OPTIONS);
  const ownApi = makeClient(own.url);
  await ownApi.describeRegistries({});
  const socket = connect(own.port, '127.0.0.1');
  // Cleanup even on failure, so a regression fails this test instead of hanging the run.
  t.after(() => (socket.destroy(), ownApi.destroy(), own.close()));
  const first = await new Promise<Buffer>((resolve, reject) => {
    socket.once('data', resolve).once('error', reject);
    // Node answers "100 Continue" once the request reached the handler, which then awaits a body that never comes.
    const head = ['POST / HTTP/1.1', 'Host: x', 'Expect: 100-continue', 'Content-Length: 10', `Authorization: ${FAKE_AUTH}`];
    socket.write(`${[...head, 'X-Amz-Target: SpencerFrontendService.DescribeRegistries'].join('\r\n')}\r\n\r\n`);
  });
  assert.match(first.toString(), /^HTTP\/1\.1 100 Continue/);
  const socketClosed = once(socket, 'close');
  await own.close();
  await socketClosed;
  await assert.rejects(ownApi.describeRegistries({}), /ECONNREFUSED/);
});
