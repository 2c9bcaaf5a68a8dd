// The console's build. The endpoints it calls (method, path, roles) are read from the API's declarations at build time
// and handed to the app as the module `virtual:agdar-endpoints`, so the browser never loads the schemas themselves.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig, Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspace = fileURLToPath(new URL('../..', import.meta.url));
const VIRTUAL = 'virtual:agdar-endpoints';

/** The declarations, read by the workspace's own TypeScript runtime (as the services load them). */
function endpointTable(): Record<string, unknown> {
  const script = `
    const { API_ENDPOINTS } = require('./libs/contracts/src/api');
    const table = Object.fromEntries(API_ENDPOINTS.map((e) => [e.operationId,
      { method: e.method, path: e.path, roles: e.roles, ...(e.produces ? { produces: e.produces } : {}) }]));
    process.stdout.write(JSON.stringify(table));`;
  const output = execFileSync(process.execPath, ['-r', './tools/register.js', '-e', script], {
    cwd: workspace,
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

function endpointsModule(): Plugin {
  return {
    name: 'agdar-endpoints',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : undefined),
    load(id) {
      if (id !== `\0${VIRTUAL}`) return undefined;
      return `export default ${JSON.stringify(endpointTable())};`;
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [react(), endpointsModule()],
  resolve: {
    alias: {
      '@agdar/contracts/browser': fileURLToPath(new URL('../../libs/contracts/src/browser.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/console-settings.json': 'http://127.0.0.1:3000' } },
});
