/** Paths of the tools tests need; wired to the tools cache by lib/tools. */
export interface TestTools {
  motoServer: string;
}

export async function testTools(): Promise<TestTools> {
  const motoServer = process.env.MOTO_SERVER_BIN;
  if (!motoServer) throw new Error('MOTO_SERVER_BIN is unset');
  return { motoServer };
}
