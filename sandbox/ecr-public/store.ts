// In-memory state and operation logic of the ECR Public sandbox (one registry).
import { createHash } from 'node:crypto';
import * as p from './protocol.js';
import { ApiError, errors, type JsonObject } from './protocol.js';
import * as v from './validate.js';
import { RULES } from './validate.js';

interface StoredCatalog extends Omit<v.CatalogDataInput, 'logo'> {
  logo?: { bytes: Buffer; hash: string };
}

interface Repository {
  name: string;
  createdAt: number; // epoch seconds, the JSON protocol's timestamp format
  catalog?: StoredCatalog; // undefined only via clearCatalogData (test helper)
  tags: Map<string, string>;
  policy?: string;
  imageCount: number; // no image push here; tests set it to exercise force delete
}

export interface StoreOptions {
  accountId: string;
  registryAlias: string;
  repositoryLimit?: number;
  logoUrl: (hash: string) => string;
}

type Handler = (input: JsonObject) => JsonObject;

export class EcrPublicStore {
  private readonly repos = new Map<string, Repository>();
  private readonly handlers: Readonly<Record<string, Handler>>;

  constructor(private readonly options: StoreOptions) {
    this.handlers = {
      CreateRepository: (i) => this.createRepository(i),
      DescribeRepositories: (i) => this.describeRepositories(i),
      DeleteRepository: (i) => this.deleteRepository(i),
      GetRepositoryCatalogData: (i) => this.getRepositoryCatalogData(i),
      PutRepositoryCatalogData: (i) => this.putRepositoryCatalogData(i),
      DescribeRegistries: (i) => this.describeRegistries(i),
      GetRegistryCatalogData: () => ({ registryCatalogData: { displayName: this.options.registryAlias } }),
      ListTagsForResource: (i) => ({ tags: p.tagListShape(this.repoByArn(i).tags) }),
      TagResource: (i) => this.tagResource(i),
      UntagResource: (i) => this.untagResource(i),
      GetRepositoryPolicy: (i) => this.policyResponse(this.policyOf(i)),
      SetRepositoryPolicy: (i) => this.setRepositoryPolicy(i),
      DeleteRepositoryPolicy: (i) => this.deleteRepositoryPolicy(i),
    };
  }

  handle(operation: string, input: JsonObject): JsonObject {
    const handler = this.handlers[operation];
    if (!handler) throw new ApiError('UnknownOperationException', `Operation '${operation}' is not supported here`);
    return handler(input);
  }

  /** The operation names this sandbox answers (anything else is UnknownOperationException). */
  operations(): string[] {
    return Object.keys(this.handlers);
  }

  setImageCount(name: string, count: number): void {
    this.mustExist(name).imageCount = count;
  }

  /** Simulates a repository whose catalog record is missing (RepositoryCatalogDataNotFoundException). */
  clearCatalogData(name: string): void {
    this.mustExist(name).catalog = undefined;
  }

  hasRepository(name: string): boolean {
    return this.repos.has(name);
  }

  logo(hash: string): Buffer | undefined {
    for (const repo of this.repos.values()) if (repo.catalog?.logo?.hash === hash) return repo.catalog.logo.bytes;
    return undefined;
  }

  private mustExist(name: string): Repository {
    const repo = this.repos.get(name);
    if (!repo) throw new Error(`sandbox has no repository '${name}'`);
    return repo;
  }

  /** Resolves registryId + repositoryName; another account's registry holds nothing here. */
  private findRepo(input: JsonObject): Repository {
    const registryId = v.validateRegistryId(p.optionalString(input, 'registryId')) ?? this.options.accountId;
    const name = v.validateRepositoryName(p.requiredString(input, 'repositoryName'));
    const repo = registryId === this.options.accountId ? this.repos.get(name) : undefined;
    if (!repo) throw errors.repositoryNotFound(name, registryId);
    return repo;
  }

  private repositoryJson(repo: Repository): JsonObject {
    return p.repositoryShape(this.options.accountId, this.options.registryAlias, repo.name, repo.createdAt);
  }

  private catalogJson(catalog: StoredCatalog): JsonObject {
    const { logo, ...fields } = catalog;
    return { ...fields, ...(logo ? { logoUrl: this.options.logoUrl(logo.hash) } : {}) };
  }

  private createRepository(input: JsonObject): JsonObject {
    const name = v.validateRepositoryName(p.requiredString(input, 'repositoryName'));
    const catalogInput = p.optionalObject(input, 'catalogData');
    const catalog = mergeCatalog({}, catalogInput ? v.validateCatalogData(catalogInput) : {});
    const tags = new Map(v.validateTags(p.optionalList(input, 'tags') ?? []));
    if (tags.size > RULES.tagsPerResource) throw errors.tooManyTags(RULES.tagsPerResource);
    if (this.repos.has(name)) throw errors.repositoryAlreadyExists(name, this.options.accountId);
    const limit = this.options.repositoryLimit ?? RULES.repositoriesPerRegistry;
    if (this.repos.size >= limit) throw errors.limitExceeded(limit);
    const repo: Repository = { name, createdAt: Date.now() / 1000, catalog, tags, imageCount: 0 };
    this.repos.set(name, repo);
    return { repository: this.repositoryJson(repo), catalogData: this.catalogJson(catalog) };
  }

  private describeRepositories(input: JsonObject): JsonObject {
    const registryId = v.validateRegistryId(p.optionalString(input, 'registryId')) ?? this.options.accountId;
    const names = p.optionalStringList(input, 'repositoryNames');
    const maxResults = v.validateMaxResults(p.optionalInteger(input, 'maxResults'));
    const nextToken = p.optionalString(input, 'nextToken');
    if (names === undefined) return this.listRepositories(registryId, maxResults, nextToken);
    if (maxResults !== undefined || nextToken !== undefined) {
      throw new ApiError('InvalidParameterException', 'Cannot specify maxResults or nextToken with repositoryNames');
    }
    const { min, max } = RULES.repositoryNameList;
    if (names.length < min || names.length > max) {
      throw p.invalidParameter('repositoryNames', `Member must have length between ${min} and ${max}`);
    }
    const repos = names.map((name) => this.findRepo({ registryId, repositoryName: name }));
    return { repositories: repos.map((repo) => this.repositoryJson(repo)) };
  }

  /** Pages by name order; the token is the last name returned, so deletions between pages are safe. */
  private listRepositories(registryId: string, maxResults = 100, nextToken?: string): JsonObject {
    const after = nextToken === undefined ? undefined : p.decodeNextToken(nextToken);
    const all = registryId === this.options.accountId ? [...this.repos.values()] : [];
    const sorted = all.sort((a, b) => (a.name < b.name ? -1 : 1)).filter((r) => after === undefined || r.name > after);
    const page = sorted.slice(0, maxResults);
    const last = page[page.length - 1];
    const more = sorted.length > page.length && last !== undefined;
    return {
      repositories: page.map((repo) => this.repositoryJson(repo)),
      ...(more ? { nextToken: p.encodeNextToken(last.name) } : {}),
    };
  }

  private deleteRepository(input: JsonObject): JsonObject {
    const repo = this.findRepo(input);
    if (repo.imageCount > 0 && p.optionalBoolean(input, 'force') !== true) {
      throw errors.repositoryNotEmpty(repo.name, this.options.accountId);
    }
    this.repos.delete(repo.name);
    return { repository: this.repositoryJson(repo) };
  }

  private getRepositoryCatalogData(input: JsonObject): JsonObject {
    const repo = this.findRepo(input);
    if (!repo.catalog) throw errors.catalogDataNotFound(repo.name, this.options.accountId);
    return { catalogData: { ...this.catalogJson(repo.catalog), marketplaceCertified: false } };
  }

  private putRepositoryCatalogData(input: JsonObject): JsonObject {
    const repo = this.findRepo(input);
    const catalogInput = p.optionalObject(input, 'catalogData');
    if (!catalogInput) throw p.invalidParameter('catalogData', 'Member must not be null');
    repo.catalog = mergeCatalog(repo.catalog ?? {}, v.validateCatalogData(catalogInput));
    return { catalogData: this.catalogJson(repo.catalog) };
  }

  private describeRegistries(input: JsonObject): JsonObject {
    v.validateMaxResults(p.optionalInteger(input, 'maxResults'));
    // One registry means one page: any token is one this server never issued.
    if (p.optionalString(input, 'nextToken') !== undefined) throw new ApiError('InvalidParameterException', 'Invalid nextToken');
    return { registries: [p.registryShape(this.options.accountId, this.options.registryAlias)] };
  }

  private repoByArn(input: JsonObject): Repository {
    const arn = p.requiredString(input, 'resourceArn');
    const match = /^arn:aws:ecr-public::([0-9]{12}):repository\/(.+)$/.exec(arn);
    if (arn.length > RULES.arn.max || !match?.[1] || !match[2]) throw p.invalidParameter('resourceArn', 'Invalid ARN');
    return this.findRepo({ registryId: match[1], repositoryName: match[2] });
  }

  private tagResource(input: JsonObject): JsonObject {
    const repo = this.repoByArn(input);
    const list = p.optionalList(input, 'tags');
    if (!list) throw p.invalidParameter('tags', 'Member must not be null');
    const merged = new Map([...repo.tags, ...v.validateTags(list)]);
    if (merged.size > RULES.tagsPerResource) throw errors.tooManyTags(RULES.tagsPerResource);
    repo.tags = merged;
    return {};
  }

  private untagResource(input: JsonObject): JsonObject {
    const repo = this.repoByArn(input);
    const keys = p.optionalStringList(input, 'tagKeys');
    if (!keys) throw p.invalidParameter('tagKeys', 'Member must not be null');
    for (const key of v.validateTagKeys(keys)) repo.tags.delete(key);
    return {};
  }

  private policyOf(input: JsonObject): { repo: Repository; policy: string } {
    const repo = this.findRepo(input);
    if (repo.policy === undefined) throw errors.policyNotFound(repo.name, this.options.accountId);
    return { repo, policy: repo.policy };
  }

  private policyResponse({ repo, policy }: { repo: Repository; policy: string }): JsonObject {
    return { registryId: this.options.accountId, repositoryName: repo.name, policyText: policy };
  }

  private setRepositoryPolicy(input: JsonObject): JsonObject {
    const repo = this.findRepo(input);
    // `force` guards against self-lockout policies; without IAM evaluation it has nothing to guard.
    p.optionalBoolean(input, 'force');
    const policy = v.validatePolicyText(p.requiredString(input, 'policyText'));
    repo.policy = policy;
    return this.policyResponse({ repo, policy });
  }

  private deleteRepositoryPolicy(input: JsonObject): JsonObject {
    const found = this.policyOf(input);
    found.repo.policy = undefined;
    return this.policyResponse(found);
  }
}

/** Put semantics: fields present in the input replace stored ones; absent fields are kept. */
function mergeCatalog(current: StoredCatalog, update: v.CatalogDataInput): StoredCatalog {
  const next: StoredCatalog = { ...current };
  if (update.description !== undefined) next.description = update.description;
  if (update.aboutText !== undefined) next.aboutText = update.aboutText;
  if (update.usageText !== undefined) next.usageText = update.usageText;
  if (update.architectures) next.architectures = [...update.architectures];
  if (update.operatingSystems) next.operatingSystems = [...update.operatingSystems];
  // An empty blob (the model allows length 0) removes the logo.
  if (update.logo && update.logo.length === 0) delete next.logo;
  else if (update.logo) next.logo = { bytes: update.logo, hash: createHash('sha256').update(update.logo).digest('hex') };
  return next;
}
