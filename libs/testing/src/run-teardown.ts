export default async function globalTeardown(): Promise<void> {
  await globalThis.__AGDAR_TEST_INFRA__?.stop();
}
