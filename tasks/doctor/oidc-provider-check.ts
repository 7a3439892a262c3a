import { findGithubOidcProvider } from '../../lib/aws/oidc-provider.js';
import { projectName } from '../../lib/deploy/prepare.js';
import { fail, pass, type Check, type CheckOutcome } from './check.js';

/**
 * `doctor --all`: the account's GitHub OIDC provider against DEPLOY_GITHUB_OIDC_PROVIDER_ARN.
 * Unset, the CI roles' unit creates one; an account holds at most one per URL, so a provider
 * that exists already and was not made by this project's units would make that apply fail
 * half-way with EntityAlreadyExists: the check names the setting and the ARN to give it first.
 */
export function oidcProviderCheck(projectDir: string): Check<'config' | 'credentials'> {
  return {
    id: 'github-oidc-provider',
    title: 'GitHub OIDC provider',
    needs: ['config', 'credentials'],
    run: async (provide, signal): Promise<CheckOutcome> => {
      const config = await provide('config');
      const { credentials } = await provide('credentials');
      // The unit that creates the provider when DEPLOY_GITHUB_OIDC_PROVIDER_ARN is unset.
      const ciRolesApply = `npm run apply -- --unit ${config.ciRolesUnit}`;
      const found = await findGithubOidcProvider({ config, signal }, credentials);
      const configured = config.githubOidcProviderArn;
      if (configured !== undefined) {
        if (found?.arn === configured) return pass(`${configured} (DEPLOY_GITHUB_OIDC_PROVIDER_ARN)`);
        return fail(
          `DEPLOY_GITHUB_OIDC_PROVIDER_ARN=${configured}, but the account's GitHub provider is ${found?.arn ?? 'missing'}`,
          found === undefined
            ? `Unset DEPLOY_GITHUB_OIDC_PROVIDER_ARN so that ${ciRolesApply} creates the provider`
            : `Set DEPLOY_GITHUB_OIDC_PROVIDER_ARN=${found.arn} (in .env, and as the workflows' repository variable)`,
        );
      }
      if (found === undefined) return pass(`none yet: ${ciRolesApply} creates it`);
      // The units tag what they create (root.hcl's default tags): ManagedBy and the project's name.
      if (found.tags.ManagedBy === 'terragrunt' && found.tags.Repository === (await projectName(projectDir)))
        return pass(`${found.arn}, created by this project's unit ${found.tags.Unit ?? '(untagged)'}`);
      return fail(
        `${found.arn} exists already, made outside this project's units: with DEPLOY_GITHUB_OIDC_PROVIDER_ARN unset, ${ciRolesApply} would fail with EntityAlreadyExists`,
        `Set DEPLOY_GITHUB_OIDC_PROVIDER_ARN=${found.arn} (in .env, and as the workflows' repository variable), then apply`,
      );
    },
  };
}
