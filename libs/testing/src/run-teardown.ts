export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__AGDAR_TEST_SINKS__ ?? []).map((sink) => sink.stop()));
  await globalThis.__AGDAR_TEST_INFRA__?.stop();
}
