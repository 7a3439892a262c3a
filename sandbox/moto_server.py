"""Runs moto's server with three corrections for the sandbox.

1. moto evaluates S3 bucket policies without any request context, and its
   IAMPolicyStatement treats a Condition it cannot evaluate as a match: a
   `Deny` with `aws:SecureTransport = false` then denies every object request,
   even though AWS applies it only to plain-HTTP requests. A statement whose
   condition cannot be evaluated here is therefore treated as not applying
   (NEUTRAL). So when IAM enforcement is on (moto's INITIAL_NO_AUTH_ACTION_COUNT,
   switched at /moto-api/reset-auth), moto judges actions and resources, never
   conditions: those are the IAM policy evaluator's (test/infra).

2. With IAM enforcement on, moto authorizes an IAM action against the ARN of the
   role it names only when that role exists already, and against "*" otherwise
   (and always against "*" for OIDC providers and managed policies). AWS
   authorizes it against the ARN of the resource the request names, existing or
   not: CreateRole against the new role's ARN. A policy scoped to a role's ARN
   then works as on AWS.

3. moto names the S3 permission it checks after the API operation in places where
   AWS checks another (HeadBucket is s3:ListBucket, GetPublicAccessBlock is
   s3:GetBucketPublicAccessBlock), and knows none for some bucket subresources
   (?encryption, ?ownershipControls, ?publicAccessBlock are judged as ListBucket, or
   as CreateBucket when written). Those calls are judged by the permission the
   Service Authorization Reference names for them.

Everything else is moto as released.
"""
import sys

from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.iam.exceptions import NotFoundException
from moto.iam.responses import IamResponse
from moto.s3.responses import ACTION_MAP
from moto.server import main

_released = IAMPolicyStatement.is_action_permitted


def _is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
    if self._statement.get("Condition") and not incoming_condition_values:
        return PermissionResult.NEUTRAL
    return _released(self, action, resource, principal, incoming_condition_values)


def _param(response, name):
    values = response.data.get(name)
    return values[0] if values else None


def _iam_resource(self):
    """The ARN AWS authorizes an IAM request against: the role, OIDC provider or policy it names."""
    prefix = f"arn:{self.partition}:iam::{self.current_account}"
    role = _param(self, "RoleName")
    if role is not None:
        try:
            return self.backend.get_role(role).arn
        except NotFoundException:  # not created yet: the ARN it will have
            return f"{prefix}:role{_param(self, 'Path') or '/'}{role}"
    provider = _param(self, "OpenIDConnectProviderArn")
    if provider is not None:
        return provider
    url = _param(self, "Url")
    if url is not None:
        return f"{prefix}:oidc-provider/{url.split('://', 1)[-1]}"
    policy = _param(self, "PolicyArn")
    if policy is not None:
        return policy
    name = _param(self, "PolicyName")
    if name is not None and self._get_action() == "CreatePolicy":
        return f"{prefix}:policy{_param(self, 'Path') or '/'}{name}"
    return "*"


# (HTTP method, subresource in the query string, the IAM permission AWS checks)
_S3_BUCKET_PERMISSIONS = [
    ("GET", "publicAccessBlock", "GetBucketPublicAccessBlock"),
    ("PUT", "publicAccessBlock", "PutBucketPublicAccessBlock"),
    ("DELETE", "publicAccessBlock", "PutBucketPublicAccessBlock"),
    ("GET", "encryption", "GetEncryptionConfiguration"),
    ("PUT", "encryption", "PutEncryptionConfiguration"),
    ("DELETE", "encryption", "PutEncryptionConfiguration"),
    ("GET", "ownershipControls", "GetBucketOwnershipControls"),
    ("PUT", "ownershipControls", "PutBucketOwnershipControls"),
    ("DELETE", "ownershipControls", "PutBucketOwnershipControls"),
]

IAMPolicyStatement.is_action_permitted = _is_action_permitted
IamResponse._determine_resource = _iam_resource
ACTION_MAP["BUCKET"]["HEAD"]["DEFAULT"] = "ListBucket"
for _method, _subresource, _permission in _S3_BUCKET_PERMISSIONS:
    ACTION_MAP["BUCKET"][_method][_subresource] = _permission

if __name__ == "__main__":
    sys.exit(main())
