// Jest loads global setup with its transformer but without its module mapper, so the workspace's path aliases
// (@agdar/*) are resolved here the same way jest.config.js maps them for test files.
const Module = require('node:module');
const path = require('node:path');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@agdar\/([a-z-]+)$/.exec(request);
  return resolve.call(this, alias ? path.join(__dirname, '..', '..', alias[1], 'src', 'index.ts') : request, ...rest);
};

module.exports = require('./run-setup.ts').default;
