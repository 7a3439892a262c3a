import type { S3Client } from '@aws-sdk/client-s3';

export interface RequestCounts {
  reads: number;
  writes: number;
  /** Command names in order, e.g. ["HeadBucketCommand", "GetBucketVersioningCommand"]. */
  commands: string[];
}

const readPrefixes = ['Head', 'Get', 'List'];

/** Counts every command the client sends, so init can prove that a re-run writes nothing. */
export function countRequests(s3: S3Client): RequestCounts {
  const counts: RequestCounts = { reads: 0, writes: 0, commands: [] };
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'UnknownCommand');
      counts.commands.push(name);
      if (readPrefixes.some((p) => name.startsWith(p))) counts.reads += 1;
      else counts.writes += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return counts;
}
