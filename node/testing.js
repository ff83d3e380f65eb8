'use strict'
// scaleway_partner/testing: the embedded emulator of the Partner API, for tests without network.

module.exports = require('./lib/testing.js')
