/** What the SDK made of an answer: `ok`, or its error name and HTTP status (`Throttling 400`). */
export async function sdkOutcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return `${e.name ?? '?'} ${e.$metadata?.httpStatusCode ?? '?'}`;
  }
}
