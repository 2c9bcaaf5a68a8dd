// Runs TypeScript sources directly with SWC (decorator metadata and path aliases from tsconfig.base.json), so
// services and scripts start without a build step.
const path = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
