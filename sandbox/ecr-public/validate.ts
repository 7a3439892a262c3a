// Validation rules of the ECR Public API, kept as data so the model test can
// compare them with botocore's ecr-public/2020-10-30/service-2.json.
// "model:" marks a constraint copied from that model (shape name in brackets);
// "service:" marks a rule the service enforces that the model does not encode.
import { ApiError, invalidParameter, isObject, optionalString, optionalStringList, type JsonObject } from './protocol.js';

export const RULES = {
  // model: [RepositoryName]. Smithy patterns are unanchored, but the service
  // full-matches the name (upper-case names are rejected), so we anchor it.
  repositoryName: {
    pattern: '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*',
    min: 2,
    max: 205,
  },
  repositoryNameList: { min: 1, max: 100 }, // model: [RepositoryNameList]
  registryId: { pattern: '[0-9]{12}' }, // model: [RegistryId]
  maxResults: { min: 1, max: 1000 }, // model: [MaxResults]
  arn: { min: 1, max: 2048 }, // model: [Arn]
  description: { max: 1024 }, // model: [RepositoryDescription]
  aboutText: { max: 25600 }, // model: [AboutText]
  usageText: { max: 25600 }, // model: [UsageText]
  architectures: { maxItems: 50, itemMin: 1, itemMax: 50 }, // model: [ArchitectureList], [Architecture]
  operatingSystems: { maxItems: 50, itemMin: 1, itemMax: 50 }, // model: [OperatingSystemList], [OperatingSystem]
  logoImageBlob: { minBytes: 0, maxBytes: 512000 }, // model: [LogoImageBlob] (decoded bytes)
  policyText: { min: 0, max: 10240 }, // model: [RepositoryPolicyText]
  tagList: { min: 0, max: 200 }, // model: [TagList], [TagKeyList]
  tagKey: { min: 1, max: 128 }, // model: [TagKey]
  tagValue: { min: 0, max: 256 }, // model: [TagValue]
  // service: TooManyTagsException's model documentation states "The maximum number
  // of tags that can be applied to a repository is 50" (the list shape allows 200).
  tagsPerResource: 50,
  // service: ECR Public publishes no repository quota; LimitExceededException's
  // documentation points at the ECR quotas, whose "Registered repositories" is 10,000.
  repositoriesPerRegistry: 10000,
} as const;

/**
 * service: the catalog badges the ECR Public Gallery shows, listed in the
 * documentation of RepositoryCatalogDataInput. They are NOT enforced: that same
 * documentation says an unsupported value "is associated with the repository and
 * can be retrieved using the API but isn't discoverable in the Gallery", and the
 * provider's acceptance tests round-trip architectures = ["Linux"] against AWS.
 * The model itself only bounds lengths and counts.
 */
export const GALLERY_ARCHITECTURES: readonly string[] = ['ARM', 'ARM 64', 'x86', 'x86-64'];
export const GALLERY_OPERATING_SYSTEMS: readonly string[] = ['Linux', 'Windows'];

const NAME_REGEX = new RegExp(`^(?:${RULES.repositoryName.pattern})$`);
const REGISTRY_ID_REGEX = new RegExp(`^(?:${RULES.registryId.pattern})$`);
// Strict base64: the JSON protocol carries blobs as standard padded base64.
const BASE64_REGEX = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkLength(field: string, value: string, min: number, max: number): void {
  if (value.length < min) throw invalidParameter(field, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw invalidParameter(field, `Member must have length less than or equal to ${max}`);
}

export function validateRepositoryName(name: string, field = 'repositoryName'): string {
  checkLength(field, name, RULES.repositoryName.min, RULES.repositoryName.max);
  if (!NAME_REGEX.test(name)) {
    throw invalidParameter(field, `must satisfy regular expression '${RULES.repositoryName.pattern}'`);
  }
  return name;
}

export function validateRegistryId(registryId: string | undefined): string | undefined {
  if (registryId !== undefined && !REGISTRY_ID_REGEX.test(registryId)) {
    throw invalidParameter('registryId', `must satisfy regular expression '${RULES.registryId.pattern}'`);
  }
  return registryId;
}

export function validateMaxResults(maxResults: number | undefined): number | undefined {
  const { min, max } = RULES.maxResults;
  if (maxResults !== undefined && (maxResults < min || maxResults > max)) {
    throw invalidParameter('maxResults', `Member must have value between ${min} and ${max}`);
  }
  return maxResults;
}

export function validatePolicyText(policyText: string): string {
  checkLength('policyText', policyText, RULES.policyText.min, RULES.policyText.max);
  let parsed: unknown;
  try {
    parsed = JSON.parse(policyText);
  } catch {
    parsed = undefined;
  }
  // service: the policy must be a JSON document (an object); same wording as ECR.
  if (!isObject(parsed)) throw invalidParameter('policyText', 'Invalid repository policy provided');
  return policyText;
}

export interface CatalogDataInput {
  description?: string;
  architectures?: string[];
  operatingSystems?: string[];
  logo?: Buffer;
  aboutText?: string;
  usageText?: string;
}

function checkList(field: string, list: string[] | undefined, rule: typeof RULES.architectures): void {
  if (list === undefined) return;
  if (list.length > rule.maxItems) {
    throw invalidParameter(field, `Member must have length less than or equal to ${rule.maxItems}`);
  }
  list.forEach((item, i) => checkLength(`${field}.${i + 1}.member`, item, rule.itemMin, rule.itemMax));
}

function decodeLogo(blob: string | undefined): Buffer | undefined {
  if (blob === undefined) return undefined;
  if (!BASE64_REGEX.test(blob)) throw invalidParameter('catalogData.logoImageBlob', 'Member must be valid base64');
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length > RULES.logoImageBlob.maxBytes) {
    throw invalidParameter('catalogData.logoImageBlob', `Member must have length less than or equal to ${RULES.logoImageBlob.maxBytes}`);
  }
  return bytes;
}

/** Reads and validates a RepositoryCatalogDataInput structure. */
export function validateCatalogData(input: JsonObject): CatalogDataInput {
  const description = optionalString(input, 'description');
  const aboutText = optionalString(input, 'aboutText');
  const usageText = optionalString(input, 'usageText');
  const architectures = optionalStringList(input, 'architectures');
  const operatingSystems = optionalStringList(input, 'operatingSystems');
  if (description !== undefined) checkLength('catalogData.description', description, 0, RULES.description.max);
  if (aboutText !== undefined) checkLength('catalogData.aboutText', aboutText, 0, RULES.aboutText.max);
  if (usageText !== undefined) checkLength('catalogData.usageText', usageText, 0, RULES.usageText.max);
  checkList('catalogData.architectures', architectures, RULES.architectures);
  checkList('catalogData.operatingSystems', operatingSystems, RULES.operatingSystems);
  const logo = decodeLogo(optionalString(input, 'logoImageBlob'));
  return { description, architectures, operatingSystems, logo, aboutText, usageText };
}

function tagError(message: string): ApiError {
  return new ApiError('InvalidTagParameterException', message);
}

/** Validates a TagList ([{Key, Value}]) into ordered [key, value] pairs. */
export function validateTags(tags: unknown[]): Array<[string, string]> {
  if (tags.length > RULES.tagList.max) {
    throw invalidParameter('tags', `Member must have length less than or equal to ${RULES.tagList.max}`);
  }
  return tags.map((tag) => {
    if (!isObject(tag)) throw new ApiError('SerializationException', "Member 'tags' must be a list of Tag structures");
    const key = optionalString(tag, 'Key') ?? '';
    const value = optionalString(tag, 'Value') ?? '';
    validateTagKey(key);
    if (value.length > RULES.tagValue.max) {
      throw tagError(`Tag values can have a maximum length of ${RULES.tagValue.max} characters`);
    }
    return [key, value];
  });
}

function validateTagKey(key: string): string {
  if (key.length < RULES.tagKey.min || key.length > RULES.tagKey.max) {
    throw tagError(`Tag keys must be between ${RULES.tagKey.min} and ${RULES.tagKey.max} characters`);
  }
  // service: the "aws:" prefix is reserved for AWS-managed tags on every tagging API.
  if (key.toLowerCase().startsWith('aws:')) throw tagError("Tag keys cannot start with the reserved prefix 'aws:'");
  return key;
}

export function validateTagKeys(keys: string[]): string[] {
  if (keys.length > RULES.tagList.max) {
    throw invalidParameter('tagKeys', `Member must have length less than or equal to ${RULES.tagList.max}`);
  }
  return keys.map(validateTagKey);
}
