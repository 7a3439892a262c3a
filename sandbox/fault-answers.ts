// The error answers the sandbox's fault injection gives, in each service's own wire
// format and status, so clients (the AWS SDKs for JavaScript and Go, terraform, the
// provider) classify them exactly as they classify AWS's.
import { randomUUID } from 'node:crypto';
import { ApiError, errors, JSON_11_CONTENT_TYPE } from './ecr-public/protocol.js';

export type FaultService = 's3' | 'sts' | 'iam' | 'ecr-public';

/** What the proxy sends instead of forwarding; `code` is what its request log records. */
export interface InjectedAnswer {
  code: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

function s3Error(code: string, message: string, status: number, method: string): InjectedAnswer {
  const requestId = randomUUID();
  // S3 answers HEAD with the status alone: there is no body to carry a code.
  const body =
    method === 'HEAD'
      ? ''
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
  return { code, status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body };
}

/** The query APIs' error document (STS, IAM), each in its own namespace. */
const queryNamespaces = { sts: 'https://sts.amazonaws.com/doc/2011-06-15/', iam: 'https://iam.amazonaws.com/doc/2010-05-08/' };

function queryError(service: 'sts' | 'iam', code: string, message: string, status = 400): InjectedAnswer {
  const requestId = randomUUID();
  const body = `<ErrorResponse xmlns="${queryNamespaces[service]}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { code, status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

function ecrError(error: ApiError): InjectedAnswer {
  return {
    code: error.code,
    status: error.status,
    headers: { 'content-type': JSON_11_CONTENT_TYPE, 'x-amzn-requestid': randomUUID(), 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

/** S3 SlowDown (HTTP 503); STS and IAM Throttling, ECR Public ThrottlingException (HTTP 400), as AWS answers them. */
export function throttled(service: FaultService, method: string): InjectedAnswer {
  if (service === 's3') return s3Error('SlowDown', 'Please reduce your request rate.', 503, method);
  if (service === 'sts' || service === 'iam') return queryError(service, 'Throttling', 'Rate exceeded');
  return ecrError(new ApiError('ThrottlingException', 'Rate exceeded', 400));
}

/** What each service answers a request signed with a session that has expired. */
export function expired(service: FaultService, method: string): InjectedAnswer {
  if (service === 's3') return s3Error('ExpiredToken', 'The provided token has expired.', 400, method);
  if (service === 'sts') return queryError('sts', 'ExpiredTokenException', 'The security token included in the request is expired');
  if (service === 'iam') return queryError('iam', 'ExpiredToken', 'The security token included in the request is expired', 403);
  return ecrError(new ApiError('ExpiredTokenException', 'The security token included in the request is expired', 400));
}

/** A bucket-configuration call that S3 routed to a node that has not seen the new bucket yet. */
export function noSuchBucket(method: string): InjectedAnswer {
  return s3Error('NoSuchBucket', 'The specified bucket does not exist', 404, method);
}

/** DescribeRepositories before the new repository has propagated. */
export function repositoryNotFound(name: string, registryId: string): InjectedAnswer {
  return ecrError(errors.repositoryNotFound(name, registryId));
}
