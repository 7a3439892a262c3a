import {
  DescribeRegistriesCommand,
  DescribeRepositoriesCommand,
  ECRPUBLICClient,
  GetRepositoryCatalogDataCommand,
} from '@aws-sdk/client-ecr-public';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { awsErrorName } from '../core/errors.js';
import { bounded } from './bounded.js';
import { clientSettings, type AwsScope } from './clients.js';
import { explainAwsError } from './explain.js';

export interface CatalogData {
  description: string;
  architectures: string[];
  operatingSystems: string[];
}

export interface RepositoryView {
  name: string;
  arn: string;
  uri: string;
  registryId: string;
  catalog: CatalogData;
}

function client(scope: AwsScope, credentials: AwsCredentialIdentity): ECRPUBLICClient {
  return bounded(new ECRPUBLICClient(clientSettings('ecrPublic', scope.config, credentials)), 'ecrPublic', scope);
}

/** The registry's primary alias, the `<alias>` in public.ecr.aws/<alias>/<name>. */
export async function registryAlias(scope: AwsScope, credentials: AwsCredentialIdentity): Promise<string | undefined> {
  const { config } = scope;
  const ecr = client(scope, credentials);
  try {
    const out = await ecr.send(new DescribeRegistriesCommand({}));
    const aliases = out.registries?.[0]?.aliases ?? [];
    return (aliases.find((a) => a.primaryRegistryAlias) ?? aliases[0])?.name;
  } catch (error) {
    throw explainAwsError(error, { config, action: 'read the ECR Public registry alias (DescribeRegistries)' });
  } finally {
    ecr.destroy();
  }
}

/** Reads the repository and its catalog data back; undefined when it does not exist. */
export async function readRepository(scope: AwsScope, credentials: AwsCredentialIdentity): Promise<RepositoryView | undefined> {
  const { config } = scope;
  const ecr = client(scope, credentials);
  const repositoryName = config.repositoryName;
  try {
    const found = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }))).repositories?.[0];
    if (!found) return undefined;
    const catalog = (await ecr.send(new GetRepositoryCatalogDataCommand({ repositoryName }))).catalogData;
    return {
      name: found.repositoryName ?? repositoryName,
      arn: found.repositoryArn ?? '',
      uri: found.repositoryUri ?? '',
      registryId: found.registryId ?? '',
      catalog: {
        description: catalog?.description ?? '',
        architectures: [...(catalog?.architectures ?? [])].sort(),
        operatingSystems: [...(catalog?.operatingSystems ?? [])].sort(),
      },
    };
  } catch (error) {
    if (awsErrorName(error) === 'RepositoryNotFoundException') return undefined;
    throw explainAwsError(error, { config, action: `read the ECR Public repository ${repositoryName}` });
  } finally {
    ecr.destroy();
  }
}

/** Names each catalog field whose deployed value differs from the expected one. */
export function catalogDifferences(expected: CatalogData, actual: CatalogData): string[] {
  const differences: string[] = [];
  if (expected.description !== actual.description)
    differences.push(`description: expected ${JSON.stringify(expected.description)}, found ${JSON.stringify(actual.description)}`);
  const list = (values: string[]) => JSON.stringify([...values].sort());
  if (list(expected.architectures) !== list(actual.architectures))
    differences.push(`architectures: expected ${list(expected.architectures)}, found ${list(actual.architectures)}`);
  if (list(expected.operatingSystems) !== list(actual.operatingSystems))
    differences.push(`operating systems: expected ${list(expected.operatingSystems)}, found ${list(actual.operatingSystems)}`);
  return differences;
}
