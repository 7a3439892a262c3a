import { GetOpenIDConnectProviderCommand, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { AwsScope } from './clients.js';
import { iamClient } from './iam.js';

/** IAM names an OIDC provider by its URL without the scheme: GitHub Actions' issuer. */
const githubIssuer = 'token.actions.githubusercontent.com';

/** The account's GitHub Actions OIDC provider and its tags, as IAM has them. */
export interface GithubOidcProvider {
  arn: string;
  tags: Record<string, string>;
}

/**
 * The GitHub OIDC provider of the account, or undefined when there is none (an account holds
 * at most one per URL): ListOpenIDConnectProviders, then GetOpenIDConnectProvider for its tags.
 */
export async function findGithubOidcProvider(scope: AwsScope, credentials: AwsCredentialIdentity): Promise<GithubOidcProvider | undefined> {
  const iam = iamClient(scope, credentials);
  try {
    const listed = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    const arn = (listed.OpenIDConnectProviderList ?? []).map((p) => p.Arn ?? '').find((a) => a.endsWith(`:oidc-provider/${githubIssuer}`));
    if (arn === undefined) return undefined;
    const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    return { arn, tags: Object.fromEntries((provider.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])) };
  } finally {
    iam.destroy();
  }
}
