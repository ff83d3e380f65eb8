'use strict'
// scaleway_partner/testing: the embedded emulator of the Partner API, for tests without network.

// Loads the addon first, so that a missing binary fails with the error naming the platform.
require('./lib/binding.js')
module.exports = require('./lib/testing.js')
