module.exports = require('./run-teardown.ts').default;
