// Data from outside (state and lock objects, plan JSON, tool output, policies, our own files
// that someone may have edited or truncated) passes a valibot schema before any field of it is
// used: a wrong shape is then a TaskError naming the document and its fix, never a TypeError
// deep inside a task.
import * as v from 'valibot';
import { TaskError } from './errors.js';

/** What a document is, for the message, and how to get a good one again. */
export interface DocumentOrigin {
  /** The document as the operator knows it: a file's path, `s3://bucket/key`, `terragrunt find --json`. */
  what: string;
  /** The next step, e.g. `Delete it and run npm run plan again.` */
  hint: string;
  /** The TaskError's code, e.g. `PLAN_RECORD_UNREADABLE`. */
  code: string;
}

/** The first problem of a failed check, with where in the document it is (`outputs.catalog_data.value`). */
function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const [issue] = issues;
  if (issue === undefined) return 'it does not have the expected shape';
  const path = v.getDotPath(issue);
  return `${path ? `${path}: ` : ''}${issue.message}`;
}

/** `value` checked against `schema`, or a TaskError naming the document, its first problem and the fix. */
function checked<S extends v.GenericSchema>(value: unknown, schema: S, origin: DocumentOrigin): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  throw new TaskError(`${origin.what} is not what it should be (${firstIssue(result.issues)})`, {
    code: origin.code,
    hint: origin.hint,
  });
}

/** JSON text parsed and checked against `schema`; text that is not JSON (truncated, empty) is named the same way. */
export function parseJson<S extends v.GenericSchema>(text: string, schema: S, origin: DocumentOrigin): v.InferOutput<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TaskError(`${origin.what} is not JSON (${(error as Error).message})`, { code: origin.code, hint: origin.hint, cause: error });
  }
  return checked(value, schema, origin);
}

/** parseJson, with undefined instead of an error: for caches and hints, where a bad document only means "start afresh". */
export function tryParseJson<S extends v.GenericSchema>(text: string, schema: S): v.InferOutput<S> | undefined {
  try {
    const result = v.safeParse(schema, JSON.parse(text));
    return result.success ? result.output : undefined;
  } catch {
    return undefined;
  }
}
