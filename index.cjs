'use strict';
// The CommonJS entry: `require('eslint-plugin-vectorize')` gives the plugin object itself (for a
// CommonJS eslint.config.js). The plugin is an ES module; Node ≥ 20.19 and ≥ 22.12 load it with require().
// eslint-disable-next-line @typescript-eslint/no-require-imports -- this file is the CommonJS entry
module.exports = require('./dist/index.js').default;
