// The ECR Public sandbox server checked against the published API model (botocore's
// ecr-public service-2.json, installed with moto): limits, badge lists, response members.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as ecr from '@aws-sdk/client-ecr-public';
import { startEcrPublicServer, type EcrPublicServer } from '../../sandbox/ecr-public/server.js';
import { testTools } from '../support/tools.js';
import { GALLERY_ARCHITECTURES, GALLERY_OPERATING_SYSTEMS, RULES } from '../../sandbox/ecr-public/validate.js';

let server: EcrPublicServer;
let api: ecr.ECRPUBLIC;

before(async () => {
  server = await startEcrPublicServer({
    host: '127.0.0.1',
    port: 0,
    accountId: '123456789012',
    registryAlias: 'sandboxalias',
    region: 'us-east-1',
  });
  const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };
  api = new ecr.ECRPUBLIC({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});

after(async () => {
  api.destroy();
  await server.close();
});

const create = (repositoryName: string, extra: Partial<ecr.CreateRepositoryCommandInput> = {}) =>
  api.createRepository({ repositoryName, ...extra });

interface ModelShape {
  min?: number;
  max?: number;
  pattern?: string;
  documentation?: string;
  exception?: boolean;
  members?: Record<string, { documentation?: string }>;
}
type Model = { metadata: Record<string, string>; shapes: Record<string, ModelShape> };

/** botocore arrives with moto in the tools cache; npm run tools installs it. */
async function loadModel(): Promise<Model> {
  const dir = (await testTools()).botocoreDataDir;
  if (!dir) assert.fail('botocore was not found in the moto virtualenv: run npm run tools');
  const file = join(dir, 'ecr-public', '2020-10-30', 'service-2.json');
  // Recent botocore releases ship their models gzip-compressed.
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Model;
  if (existsSync(`${file}.gz`)) return JSON.parse(gunzipSync(readFileSync(`${file}.gz`)).toString('utf8')) as Model;
  return assert.fail(`${dir} holds no ecr-public/2020-10-30/service-2.json(.gz)`);
}

test('our limits, badge lists and response members equal the botocore ecr-public model', async () => {
  const model = await loadModel();
  const shape = (name: string): ModelShape => model.shapes[name] ?? assert.fail(`model has no shape ${name}`);
  const bounds = (name: string) => ({ min: shape(name).min ?? 0, max: shape(name).max });
  const item = (list: string, member: string) => ({
    maxItems: shape(list).max,
    itemMin: shape(member).min,
    itemMax: shape(member).max,
  });
  assert.deepEqual([model.metadata.targetPrefix, model.metadata.signingName], ['SpencerFrontendService', 'ecr-public']);
  assert.deepEqual(RULES, {
    ...RULES, // the two service-side rules are checked below
    repositoryName: { pattern: shape('RepositoryName').pattern, ...bounds('RepositoryName') },
    repositoryNameList: bounds('RepositoryNameList'),
    registryId: { pattern: shape('RegistryId').pattern },
    maxResults: bounds('MaxResults'),
    arn: bounds('Arn'),
    description: { max: shape('RepositoryDescription').max },
    aboutText: { max: shape('AboutText').max },
    usageText: { max: shape('UsageText').max },
    architectures: item('ArchitectureList', 'Architecture'),
    operatingSystems: item('OperatingSystemList', 'OperatingSystem'),
    logoImageBlob: { minBytes: shape('LogoImageBlob').min, maxBytes: shape('LogoImageBlob').max },
    policyText: bounds('RepositoryPolicyText'),
    tagList: bounds('TagList'),
    tagKey: bounds('TagKey'),
    tagValue: bounds('TagValue'),
  });
  assert.equal(RULES.tagList.max, shape('TagKeyList').max);
  assert.match(shape('TooManyTagsException').documentation ?? '', new RegExp(`to a repository is ${RULES.tagsPerResource}\\.`));
  const badges = (member: string) =>
    [...(shape('RepositoryCatalogDataInput').members?.[member]?.documentation ?? '').matchAll(/<li> <p> <code>([^<]+)<\/code>/g)].map(
      (m) => m[1],
    );
  assert.deepEqual([badges('architectures'), badges('operatingSystems')], [GALLERY_ARCHITECTURES, GALLERY_OPERATING_SYSTEMS]);
  const codes = [
    'RepositoryAlreadyExists',
    'RepositoryNotFound',
    'InvalidParameter',
    'RepositoryNotEmpty',
    'RepositoryPolicyNotFound',
    'RepositoryCatalogDataNotFound',
    'LimitExceeded',
    'InvalidTagParameter',
    'TooManyTags',
    'Server',
  ];
  for (const code of codes) assert.equal(shape(`${code}Exception`).exception, true, code);
  // Live responses carry exactly the model's member names.
  const members = (name: string) => Object.keys(shape(name).members ?? {}).sort();
  const catalogData = {
    description: 'd',
    aboutText: 'a',
    usageText: 'u',
    architectures: ['x86'],
    operatingSystems: ['Linux'],
    logoImageBlob: new Uint8Array([1]),
  };
  const repo = (await create('model-shape', { catalogData })).repository;
  assert.deepEqual(Object.keys(repo ?? {}).sort(), members('Repository'));
  assert.deepEqual(Object.keys((await api.describeRegistries({})).registries?.[0] ?? {}).sort(), members('Registry'));
  const catalog = (await api.getRepositoryCatalogData({ repositoryName: 'model-shape' })).catalogData;
  assert.deepEqual(Object.keys(catalog ?? {}).sort(), members('RepositoryCatalogData'));
});
