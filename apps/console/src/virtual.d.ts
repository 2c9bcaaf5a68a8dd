// The endpoint table the build reads from the API's declarations (vite.config.ts).
declare module 'virtual:agdar-endpoints' {
  const table: Record<
    string,
    { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; roles: readonly string[]; produces?: string }
  >;
  export default table;
}
