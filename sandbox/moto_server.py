"""Runs moto's server with one correction for the sandbox.

moto evaluates S3 bucket policies without any request context, and its
IAMPolicyStatement treats a Condition it cannot evaluate as a match: a
`Deny` with `aws:SecureTransport = false` then denies every object request,
even though AWS applies it only to plain-HTTP requests. A statement whose
condition cannot be evaluated here is therefore treated as not applying
(NEUTRAL). Everything else is moto as released.
"""
import sys

from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.server import main

_released = IAMPolicyStatement.is_action_permitted


def _is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
    if self._statement.get("Condition") and not incoming_condition_values:
        return PermissionResult.NEUTRAL
    return _released(self, action, resource, principal, incoming_condition_values)


IAMPolicyStatement.is_action_permitted = _is_action_permitted

if __name__ == "__main__":
    sys.exit(main())
