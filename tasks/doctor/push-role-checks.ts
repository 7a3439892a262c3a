import { pushResources, readPushRole, trustedSubjects } from '../../lib/aws/push-role.js';
import { readRepository } from '../../lib/aws/ecr-public.js';
import { fail, pass, warn, type Check } from './check.js';

/**
 * `doctor --all`: the push-role unit read back from IAM. The role exists; its trust names
 * exactly the configured repository and branch; it carries the CI roles' unit's boundary;
 * its policy lets PutImage reach the configured repository's real ARN (as ECR Public
 * reports it) and nothing else.
 */
export function pushRoleChecks(): Array<Check<'config' | 'credentials'>> {
  const check: Check<'config' | 'credentials'> = {
    id: 'push-role',
    title: 'GitHub Actions push role',
    needs: ['config', 'credentials'],
    run: async (provide, signal) => {
      const config = await provide('config');
      const { credentials } = await provide('credentials');
      const scope = { config, signal };
      const role = await readPushRole(scope, credentials, config.pushRoleName);
      if (!role) return warn(`${config.pushRoleName} not created yet`, 'npm run plan -- --all, then npm run apply -- --all');
      const subject = `repo:${config.githubRepository}:ref:refs/heads/${config.githubBranch}`;
      const subjects = trustedSubjects(role.trust);
      if (subjects.length !== 1 || subjects[0] !== subject)
        return fail(
          `${role.arn} trusts ${subjects.join(', ') || 'no GitHub subject'}, not ${subject}`,
          'npm run plan -- --all shows the change to the trust; npm run apply -- --all restores it',
        );
      // The boundary is in the role's own account: arn:<partition>:iam::<account>:policy/<name>.
      const boundary = role.arn.replace(/:role\/.*$/, `:policy/${config.pushRoleBoundaryName}`);
      if (role.boundary !== boundary)
        return fail(
          `${role.arn} is bounded by ${role.boundary ?? 'no permissions boundary'}, not ${boundary}`,
          `npm run apply -- --unit ${config.ciRolesUnit} (it creates the boundary), then npm run apply -- --all`,
        );
      if (role.policy === undefined) return fail(`${role.arn} has no inline policy ecr-public-push`, 'npm run apply -- --all');
      const repository = await readRepository(scope, credentials);
      const resources = pushResources(role.policy);
      if (repository === undefined)
        return warn(`${role.arn} exists, but the repository ${config.repositoryName} does not`, 'npm run apply -- --all');
      if (resources.length !== 1 || resources[0] !== repository.arn)
        return fail(
          `${role.arn} may push to ${resources.join(', ') || 'nothing'}, not ${repository.arn}`,
          'npm run plan -- --all shows the change to the policy; npm run apply -- --all restores it',
        );
      return pass(`${role.arn}: trusted by ${subject}; bounded by ${boundary}; pushes to ${repository.arn} only`);
    },
  };
  return [check];
}
